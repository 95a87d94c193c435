import { type Observable, type OperatorFunction, Subject, type Subscription } from 'rxjs';
import { AudioFormatError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import type { AudioFrame } from '../../frames/audio';
import type { SttEvent, VadEvent } from '../../frames/transcript';
import type { Clock } from '../../internal/clock';
import type { BargeInDecision, BargeInSignal } from '../../operators/barge-in';
import type { TurnSignal, UserTurnEnd } from '../../operators/detect-end-of-turn';
import { echoSuppressor } from '../../operators/echo/suppress-echo';
import { RetryBudget } from '../../providers/retry/retry-budget';
import type { RetryPolicy } from '../../providers/retry/retry-policy';
import type { SttProvider } from '../../providers/stt';
import type { VadProvider } from '../../providers/vad';
import { defaultStages } from '../pipeline/default-stages';
import { guardStage, stageError } from '../pipeline/guard-stage';
import type {
  AudioInContext,
  BargeInContext,
  EndOfTurnContext,
  PipelineStage,
  ResolvedVoicePipeline,
  StageContext,
} from '../pipeline/stages';
import { StageLine } from './stage-line';

/** Why a recognition stream stopped. */
export type RecognitionStopReason = 'failed' | 'ended';

/** A recognition stream (STT or VAD) stopped; it is reopened on audio after `retryInMs`. */
export interface RecognitionLoss {
  readonly provider: 'stt' | 'vad';
  readonly reason: RecognitionStopReason;
  /** What the stream failed with (`reason: 'failed'`). */
  readonly error?: unknown;
  /** Failures in a row since the stream last worked (0 for a healthy stream that ended). */
  readonly consecutiveFailures: number;
  readonly retryInMs: number;
}

export interface UserListenerHandlers {
  stt(event: SttEvent): void;
  vad(event: VadEvent): void;
  /** Runs after `stt`/`vad` handled the same event, so barge-in decisions come first. */
  turn(turn: UserTurnEnd): void;
  bargeIn(decision: BargeInDecision): void;
  lost(loss: RecognitionLoss): void;
  /** A session-level stage (`audioIn`, `endOfTurn`, `bargeIn`) failed; it restarts on the next input. */
  stageFailed(error: VoxError): void;
}

export interface UserListenerOptions {
  readonly stt: SttProvider;
  readonly vad?: VadProvider | undefined;
  readonly stages: Pick<ResolvedVoicePipeline, 'audioIn' | 'transcripts' | 'endOfTurn' | 'bargeIn'>;
  readonly context: StageContext;
  /** What the `audioIn` stage gets beyond the stage context: the echo reference and settings. */
  readonly audioIn: Pick<AudioInContext, 'playedAgentAudio' | 'echo'>;
  readonly turnDetection: Omit<EndOfTurnContext, keyof StageContext>;
  readonly bargeIn: BargeInContext['options'];
  readonly recognitionRetry: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'> &
    Partial<Pick<RetryPolicy, 'healthyAfterMs' | 'jitter'>>;
  readonly now: Clock;
}

/** One provider stream fed from the microphone, reopened after it fails or ends. */
interface RecognitionStream {
  readonly provider: 'stt' | 'vad';
  readonly open: () => Observable<SttEvent | VadEvent>;
  /** The shared retry rule with no end: the provider's own retries give up, the session does not. */
  readonly backoff: RetryBudget;
  subscription: Subscription | undefined;
}

/**
 * The session's ears for one stretch of listening: microphone frames pass the `audioIn` stage
 * and go to the recognizer (through the `transcripts` stage) and the VAD; their events feed the
 * `endOfTurn` and `bargeIn` stages. Opened on the first frame, closed on suspend/close —
 * closing it closes every provider stream, stage and timer it holds.
 *
 * A recognizer or VAD stream that fails or ends is reopened on a later frame (with backoff,
 * see {@link RetryBudget}); a stage that fails is restarted on its next input. Turn
 * detection and barge-in carry on across a recognizer's gap, so a final already heard still
 * ends its turn.
 */
export class UserListener {
  readonly #mic$ = new Subject<AudioFrame>();
  /** Frames out of the `audioIn` stage: what the recognizer and the VAD hear. */
  readonly #heard$: Subject<AudioFrame>;
  readonly #audioIn: StageLine<AudioFrame, AudioFrame> | undefined;
  /** The default `audioIn` stage, run inline (no stage hop on the hottest path); none when echo handling is off. */
  readonly #echoGate: ((frame: AudioFrame) => AudioFrame) | undefined;
  readonly #endOfTurn: StageLine<TurnSignal, UserTurnEnd>;
  readonly #bargeIn: StageLine<BargeInSignal, BargeInDecision>;
  readonly #handlers: UserListenerHandlers;
  readonly #streams: RecognitionStream[];
  readonly #reportedProblems = new Set<string>();
  #agent: BargeInSignal;
  #isClosed = false;

  constructor(options: UserListenerOptions, handlers: UserListenerHandlers, agent: BargeInSignal) {
    const { stages, context, stt, vad, now } = options;
    this.#handlers = handlers;
    this.#agent = agent;
    const failed = (error: unknown) => handlers.stageFailed(error as VoxError);

    // The default stage is a function of each frame: run it inline, the hottest path of a session.
    if (stages.audioIn === defaultStages.audioIn) {
      const { echo, playedAgentAudio } = options.audioIn;
      this.#heard$ = this.#mic$;
      this.#audioIn = undefined;
      this.#echoGate = echo === false ? undefined : echoSuppressor(playedAgentAudio, echo);
    } else {
      this.#heard$ = new Subject<AudioFrame>();
      this.#echoGate = undefined;
      const audioInContext: AudioInContext = { ...context, ...options.audioIn, sampleRate: stt.sampleRate };
      this.#audioIn = new StageLine(guardStage('audioIn', stages.audioIn, audioInContext), {
        next: (frame) => this.#hear(frame, stt.sampleRate),
        failed,
      });
    }
    this.#bargeIn = new StageLine(
      guarded('bargeIn', stages.bargeIn, { ...context, options: options.bargeIn }),
      { next: (decision) => handlers.bargeIn(decision), failed },
      // A restarted policy must know what the agent is doing before anything else.
      () => [this.#agent],
    );
    this.#bargeIn.push(agent);
    this.#endOfTurn = new StageLine(
      guarded('endOfTurn', stages.endOfTurn, { ...context, ...options.turnDetection }),
      { next: (turn) => handlers.turn(turn), failed },
    );

    const transcripts = guarded('transcripts', stages.transcripts, { ...context, sttName: stt.name });
    const stream = (provider: 'stt' | 'vad', open: RecognitionStream['open']): RecognitionStream => ({
      provider,
      open,
      backoff: new RetryBudget(
        { jitter: 0, ...options.recognitionRetry, maxRetries: Number.POSITIVE_INFINITY },
        { now },
      ),
      subscription: undefined,
    });
    this.#streams = [stream('stt', () => transcripts(stt.transcribe(this.#heard$)))];
    if (vad) this.#streams.push(stream('vad', () => vad.detect(this.#heard$)));
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Feeds a microphone frame, first (re)opening any stream whose wait is over. */
  push(frame: AudioFrame): void {
    if (this.#isClosed) return;
    for (const stream of this.#streams)
      if (!stream.subscription && stream.backoff.canAttempt) this.#open(stream);
    if (this.#audioIn) this.#audioIn.push(frame);
    else this.#mic$.next(this.#echoGate ? this.#echoGate(frame) : frame);
  }

  /** Tells the barge-in policy about user activity or the agent's situation. */
  signal(signal: BargeInSignal): void {
    if (this.#isClosed) return;
    if (signal.type === 'agent') this.#agent = signal;
    this.#bargeIn.push(signal);
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#audioIn?.close();
    this.#bargeIn.close();
    this.#endOfTurn.close();
    for (const stream of this.#streams) stream.subscription?.unsubscribe();
  }

  /** A frame out of the `audioIn` stage: it must still be what the recognizer takes. */
  #hear(frame: AudioFrame, sampleRate: number): void {
    const problem = !(frame?.samples instanceof Int16Array)
      ? 'frames out of audioIn must hold Int16Array samples'
      : frame.sampleRate !== sampleRate
        ? `audioIn emitted ${frame.sampleRate} Hz audio, the recognizer needs ${sampleRate} Hz`
        : (frame.channels ?? 1) !== 1
          ? 'audioIn must emit mono frames'
          : undefined;
    if (!problem) {
      this.#heard$.next(frame);
      return;
    }
    // Dropped; said once per kind of problem, not fifty times a second.
    if (this.#reportedProblems.has(problem)) return;
    this.#reportedProblems.add(problem);
    this.#handlers.stageFailed(
      stageError('audioIn', new AudioFormatError(problem, { source: 'pipeline:audioIn' })),
    );
  }

  #open(stream: RecognitionStream): void {
    stream.backoff.attemptStarted();
    // A provider may fail while being subscribed to: `hasStopped` tells us not to keep it.
    let hasStopped = false;
    const stop = (reason: RecognitionStopReason, error?: unknown) => {
      hasStopped = true;
      stream.subscription = undefined;
      if (this.#isClosed) return;
      const decision = reason === 'failed' ? stream.backoff.failed(error) : stream.backoff.ended();
      const retryInMs = decision.retry ? decision.delayMs : 0;
      this.#handlers.lost({
        provider: stream.provider,
        reason,
        ...(reason === 'failed' ? { error } : {}),
        consecutiveFailures: stream.backoff.failures,
        retryInMs,
      });
    };
    const subscription = stream.open().subscribe({
      next: (event) => {
        // Progress is a final (STT) or any event (VAD); interims alone do not forgive failures.
        if (stream.provider === 'vad' || (event as SttEvent).type === 'final') stream.backoff.progressed();
        else stream.backoff.answered();
        if (stream.provider === 'stt') {
          this.#handlers.stt(event as SttEvent);
          this.#endOfTurn.push({ source: 'stt', event: event as SttEvent });
        } else {
          this.#handlers.vad(event as VadEvent);
          this.#endOfTurn.push({ source: 'vad', event: event as VadEvent });
        }
      },
      error: (error: unknown) => stop('failed', error),
      complete: () => stop('ended'),
    });
    // Closed while subscribing (a handler closed the session): nothing may stay open.
    if (hasStopped || this.#isClosed) subscription.unsubscribe();
    else stream.subscription = subscription;
  }
}

/**
 * A stage as an operator: a default stage runs as it is (it raises only typed errors), a user's
 * is guarded so its failures name it.
 */
function guarded<In, Out, Context>(
  name: keyof ResolvedVoicePipeline,
  stage: PipelineStage<In, Out, Context>,
  context: Context,
): OperatorFunction<In, Out> {
  return stage === (defaultStages[name] as unknown)
    ? (source) => stage(source, context)
    : guardStage(name, stage, context);
}
