import type { Observable, SchedulerLike } from 'rxjs';
import type { Sentence, SpeechAudio } from '../../frames/agent';
import type { AudioFrame } from '../../frames/audio';
import type { SpeechRef } from '../../frames/identity';
import type { SttEvent } from '../../frames/transcript';
import type { BargeInDecision, BargeInOptions, BargeInSignal } from '../../operators/barge-in';
import type { TurnSignal, UserTurnEnd } from '../../operators/detect-end-of-turn';
import type { PlayedAgentAudio, SuppressEchoOptions } from '../../operators/echo/suppress-echo';
import type { TtsChunk, TtsProvider } from '../../providers/tts';
import type { ReplySource, ReplyTurn } from './reply-turn';

/**
 * One step of a session's pipeline: an RxJS operator. The session passes the stage's context
 * as a second argument, so a plain operator (`map(...)`, `pipe(...)`) fits, and a stage that
 * needs the session's scheduler, ids or abort signal declares the parameter.
 *
 * The session subscribes to what the stage returns and unsubscribes on interrupt and `close()`:
 * a stage built from cold observables is cancelled for free. Work a stage starts outside RxJS
 * (a fetch, a worker) should listen to `context.signal` where the context has one.
 *
 * @example
 * ```ts
 * const louder: PipelineStage<AudioFrame, AudioFrame, AudioInContext> = (frames$) =>
 *   frames$.pipe(map((frame) => ({ ...frame, samples: gain(frame.samples, 2) })));
 * ```
 */
export type PipelineStage<In, Out, Context> = (source: Observable<In>, context: Context) => Observable<Out>;

/** What every stage context holds. */
export interface StageContext {
  readonly sessionId: string;
  /** The session's scheduler: use it for timers so virtual-time tests hold. */
  readonly scheduler: SchedulerLike;
}

/** Context of `audioIn`: the rate the recognizer (and VAD) want out of the stage. */
export interface AudioInContext extends StageContext {
  readonly sampleRate: number;
  /** The agent audio the listener is playing: the reference for `suppressEcho`. */
  readonly playedAgentAudio: PlayedAgentAudio;
  /** The session's `interruption.echo` settings; `false` when echo handling is off. */
  readonly echo: SuppressEchoOptions | false;
}

/** Context of `transcripts`: which recognizer the events come from. */
export interface TranscriptsContext extends StageContext {
  readonly sttName: string;
}

/** Context of `endOfTurn`: the session's `turnDetection` settings. */
export interface EndOfTurnContext extends StageContext {
  readonly mode: 'stt' | 'vad';
  readonly minEndpointDelayMs: number;
}

/** Context of `bargeIn`: the session's `interruption` settings, per agent state. */
export interface BargeInContext extends StageContext {
  readonly options: Omit<BargeInOptions, 'scheduler'>;
}

/**
 * Context of the per-speech stages (`sentences`, `speech`, `audioOut`): one agent speech.
 * `signal` aborts when the speech is interrupted, discarded (an early reply to other words) or
 * the session closes.
 */
export interface SpeechContext extends StageContext, SpeechRef {
  /** `reply` for an answer to the user, `say` for `session.say()` text. */
  readonly kind: 'reply' | 'say';
  readonly signal: AbortSignal;
  /** The session's TTS provider. */
  readonly tts: TtsProvider;
}

/**
 * A chunk out of the `speech` stage: TTS audio, and which sentence it speaks. The session
 * numbers the chunks (`seq`, `offsetMs`, `durationMs`) and stamps the speech's ids; a chunk
 * without `sentenceIndex` belongs to the latest sentence that entered the stage.
 */
export type SpeechChunk = TtsChunk & { readonly sentenceIndex?: number };

/**
 * The stages of a session, each replaceable: pass any subset as `pipeline` to
 * `createVoiceSession`; the rest are {@link defaultStages}. Data flows
 *
 * ```
 * mic → audioIn → STT → transcripts ─┬→ endOfTurn → reply → sentences → speech → audioOut → out
 *                                    └→ bargeIn (pause / commit / resume the agent's speech)
 * ```
 *
 * Whatever a stage does, the session keeps its promises: an interrupt or `close()`
 * unsubscribes every stage of the speech; history, `agent-text` and heard text follow what
 * `sentences` emitted; every chunk carries its `turnId`/`speechId`; a stage that throws ends
 * its turn with a typed error whose `source` is `pipeline:<stage>`, and the session lives on.
 */
export interface VoicePipeline {
  /** Microphone frames before VAD and STT (noise filter, gain, resampling to the STT's rate). */
  readonly audioIn?: PipelineStage<AudioFrame, AudioFrame, AudioInContext>;
  /** Recognizer events after STT (fix names, drop junk). Runs once per recognition stream. */
  readonly transcripts?: PipelineStage<SttEvent, SttEvent, TranscriptsContext>;
  /** Decides when the user's turn ends (default {@link detectEndOfTurn}). */
  readonly endOfTurn?: PipelineStage<TurnSignal, UserTurnEnd, EndOfTurnContext>;
  /** The interruption policy (default {@link bargeIn}). */
  readonly bargeIn?: PipelineStage<BargeInSignal, BargeInDecision, BargeInContext>;
  /**
   * The LLM node: the reply to a turn, as tokens or sentences (see {@link ReplySource}).
   * Default: the session's LLM with tool rounds ({@link defaultReply}).
   */
  readonly reply?: (turn: ReplyTurn) => ReplySource;
  /** Between the sentence chunker and TTS (translate, filter, rewrite pronunciation). */
  readonly sentences?: PipelineStage<Sentence, Sentence, SpeechContext>;
  /** The TTS node, sentences → audio (default {@link synthesizeSentences} on the session's TTS). */
  readonly speech?: PipelineStage<Sentence, SpeechChunk, SpeechContext>;
  /** Agent audio before it leaves the session (volume, effects, resampling for the listener). */
  readonly audioOut?: PipelineStage<SpeechAudio, SpeechAudio, SpeechContext>;
}

/** A pipeline with every stage present. */
export type ResolvedVoicePipeline = Required<VoicePipeline>;
