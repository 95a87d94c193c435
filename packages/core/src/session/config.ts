import type { SchedulerLike } from 'rxjs';
import { z } from 'zod';
import { ConfigError, describeSchemaIssues } from '../errors/families';
import type { ChatMessage } from '../frames/chat';
import type { LlmProvider } from '../providers/llm';
import type { SttProvider } from '../providers/stt';
import type { TtsProvider } from '../providers/tts';
import type { VadProvider } from '../providers/vad';
import type { VoicePipeline } from './pipeline/stages';
import type { Tool } from './tools';

/** English backchannels: short acknowledgements that never interrupt the agent. */
export const DEFAULT_BACKCHANNELS: readonly string[] = [
  'mm-hmm',
  'mhm',
  'mm',
  'hmm',
  'uh-huh',
  'uh huh',
  'yeah',
  'yep',
  'yes',
  'right',
  'okay',
  'ok',
  'sure',
  'i see',
  'got it',
  'oh',
  'ah',
  'aha',
  'cool',
  'nice',
  'great',
  'exactly',
  'true',
  'indeed',
  // Hesitations: alone, they do not ask for the floor (a rough recognizer's "mhm" often comes out so).
  'um',
  'uh',
  'uhm',
  'erm',
  'hm',
  'mmhmm',
  'mhmm',
];

/**
 * English phrases that only ask the agent to stop. After the user interrupted the agent with
 * nothing more than these ("stop", "stop please stop", "never mind stop talking"), the agent
 * falls quiet and listens instead of answering.
 */
export const DEFAULT_STOP_PHRASES: readonly string[] = [
  'stop',
  'stop it',
  'stop talking',
  'stop that',
  'wait',
  'wait a second',
  'wait a minute',
  'hold on',
  'hang on',
  'never mind',
  'nevermind',
  'be quiet',
  'quiet',
  'shut up',
  'shh',
  'shush',
  'enough',
  "that's enough",
  'cancel',
];

/** A number, or one number per agent state in which barge-in can happen. */
const perAgentState = z.union([
  z.number().nonnegative(),
  z.object({ thinking: z.number().nonnegative(), speaking: z.number().nonnegative() }),
]);
export type PerAgentState = z.infer<typeof perAgentState>;

const provider = <T>(kind: string, method: string) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>)[method] === 'function',
    { message: `expected a ${kind} provider (an object with a ${method}() method)` },
  );

export const turnDetectionSchema = z.object({
  /**
   * `stt`: the turn ends at the recognizer's final transcript. `vad`: it ends when voice activity
   * stops (VAD provider, or the recognizer's speech-end events), as soon as a final exists.
   */
  mode: z.enum(['stt', 'vad']).default('stt'),
  /** Extra wait after the end signal, so a user who pauses mid-thought is not cut off. */
  minEndpointDelayMs: z.number().nonnegative().default(200),
});

/** Settings of the echo gate; see `EchoGateOptions` for what each means. */
export const echoSchema = z.object({
  maxDelayMs: z.number().positive().max(2000).optional(),
  marginDb: z.number().nonnegative().max(40).optional(),
  initialEchoGainDb: z.number().min(-80).max(20).optional(),
  calibrationMs: z.number().positive().max(10_000).optional(),
  adaptDbPerSecond: z.number().positive().optional(),
  riseStepDb: z.number().nonnegative().max(20).optional(),
  hangoverMs: z.number().nonnegative().optional(),
  agentFloorDb: z.number().max(0).optional(),
  /**
   * Also ignore transcripts that only repeat the agent's last words (`isEchoOf`), heard while it
   * speaks or starting within 500 ms of its end — what the acoustic gate let through. Default
   * true; a user who answers with some of the agent's words adds their own ("please tell me a
   * story" after "ask me to tell you a story") and is heard. `false` for an app whose users
   * are expected to read the agent's words back.
   */
  transcripts: z.boolean().optional(),
  /** How long after a speech ends a transcript repeating it still counts as its echo. Default 2500 ms. */
  transcriptTailMs: z.number().nonnegative().optional(),
});

export const interruptionSchema = z.object({
  enabled: z.boolean().default(true),
  /**
   * `audio-activity`: speech onset (VAD, else STT speech-start) held for `minSpeechMs` pauses the
   * agent; any non-backchannel transcript of `minWords` commits. `transcript`: an interim of
   * `minWords` pauses; a final (or an interim with stability ≥ 0.8) commits.
   */
  trigger: z.enum(['audio-activity', 'transcript']).default('audio-activity'),
  minSpeechMs: perAgentState.default(0),
  minWords: perAgentState.default(1),
  /** A pause with no confirming transcript within this time is resumed. */
  falseInterruptionMs: z.number().positive().default(1500),
  /** Utterances made only of these words never interrupt. Any language; matched case-insensitively. */
  backchannels: z.array(z.string()).default([...DEFAULT_BACKCHANNELS]),
  /**
   * With the `audio-activity` trigger, what a backchannel could be does not interrupt: interims
   * this soon after the onset (a rough recognizer's first guess at "mhm" may be "um", or two
   * short words), and the final of an utterance voiced for less than this unless it is a stop
   * phrase (a short "uh-huh" heard as "but"; a final that comes before the voice ends waits for
   * its end, at most this long from the onset); a backchannel final or a short one resumes the
   * speech where it paused. Words after the window, or the final of a longer utterance,
   * interrupt. The agent is paused (silent) from the onset, so the listener waits for nothing;
   * the costs are that the LLM and TTS of an interruption are cancelled up to this much later,
   * and that a short utterance other than a stop ("what?") does not interrupt. 0 interrupts on
   * the first word.
   */
  backchannelWindowMs: perAgentState.default(600),
  /**
   * After the user interrupted the agent, a turn made only of these (and polite companions such
   * as "please") ends the agent's speech without a reply: the agent listens. English by default;
   * give your language's, or `[]` to have the LLM answer every turn. These and the English
   * defaults also interrupt however short they are (see `backchannelWindowMs`).
   */
  stopPhrases: z.array(z.string()).default([...DEFAULT_STOP_PHRASES]),
  /**
   * The agent's own voice coming back through the listener's microphone (speakers, no
   * headphones, weak browser echo cancellation) neither pauses nor interrupts it: mic audio that
   * the agent audio being played explains is silenced in the `audioIn` stage (see
   * `suppressEcho`), and a transcript that only repeats what the agent is saying is ignored.
   * `false` turns both off (for a transport that cancels echo itself).
   */
  echo: z.union([z.literal(false), echoSchema]).default({}),
});

export const preemptiveSchema = z.object({
  enabled: z.boolean().default(false),
  /**
   * An interim this stable starts the reply early; finals always do, and so does a
   * `speech-pause` from the activity source (VAD, else recognizer) on the words heard so far.
   */
  minStability: z.number().min(0).max(1).default(0.9),
});

export const chunkerSchema = z.object({
  /**
   * The first chunk leaves at the first clause boundary past this many characters. The low
   * default lets a leading "Sure," or "Okay," reach TTS while the model writes on: the listener
   * hears the agent ~150 ms sooner, at the cost of a tiny pause after that first word.
   */
  firstChunkMinChars: z.number().int().nonnegative().default(4),
  /** Later chunks gather at least this many characters. */
  minChars: z.number().int().positive().default(20),
});

const playoutSchema = z.object({
  /**
   * With no playback acks, the agent is considered done speaking when its audio would have
   * played in real time, plus this margin.
   */
  slackMs: z.number().nonnegative().default(250),
});

/**
 * How the session reopens a lost STT/VAD stream: the shared `RetryBudget` rule with no end
 * (`maxRetries: Infinity`) — the provider's own retries give up, the session keeps listening.
 */
export const recognitionRetrySchema = z.object({
  /** Wait after a recognition stream fails before opening a new one on incoming audio, ms. */
  initialDelayMs: z.number().nonnegative().default(500),
  /** The wait doubles per failure in a row up to this, ms: the bound on how often a down provider is tried. */
  maxDelayMs: z.number().positive().default(8000),
  /**
   * A stream still delivering events this long after it opened counts as having worked, ms, as does
   * one that delivered a final (STT) or any event (VAD); a first interim does not. A stream that
   * ended after working is reopened at once; the failures before it are forgiven.
   */
  healthyAfterMs: z.number().nonnegative().default(10_000),
  /**
   * Share of each wait drawn at random, 0–1. Default 0: the session reopens only on incoming audio,
   * and `recognition-lost.retryInMs` stays exact.
   */
  jitter: z.number().min(0).max(1).default(0),
});

export const errorReplySchema = z.object({
  /** Spoken (not added to the history) when the LLM fails a reply; TTS must be working. */
  text: z.string().trim().min(1),
});

const stage = <T>(name: string) =>
  z
    .custom<T>((value) => typeof value === 'function', {
      message: `pipeline.${name} must be a function (an RxJS operator, or (source$, context) => Observable)`,
    })
    .optional();

/** The stages given; unknown names are refused so a typo (`sentence`) is not silently ignored. */
export const pipelineSchema = z
  .object({
    audioIn: stage<VoicePipeline['audioIn']>('audioIn'),
    transcripts: stage<VoicePipeline['transcripts']>('transcripts'),
    endOfTurn: stage<VoicePipeline['endOfTurn']>('endOfTurn'),
    bargeIn: stage<VoicePipeline['bargeIn']>('bargeIn'),
    reply: stage<VoicePipeline['reply']>('reply'),
    sentences: stage<VoicePipeline['sentences']>('sentences'),
    speech: stage<VoicePipeline['speech']>('speech'),
    audioOut: stage<VoicePipeline['audioOut']>('audioOut'),
  })
  .strict();

export const voiceSessionConfigSchema = z.object({
  id: z.string().min(1).optional(),
  stt: provider<SttProvider>('stt', 'transcribe'),
  llm: provider<LlmProvider>('llm', 'generate'),
  tts: provider<TtsProvider>('tts', 'synthesize'),
  vad: provider<VadProvider>('vad', 'detect').optional(),
  /** System prompt. */
  instructions: z.string().default('You are a helpful voice assistant. Answer briefly.'),
  history: z
    .array(z.custom<ChatMessage>((m) => typeof m === 'object' && m !== null && 'role' in m))
    .default([]),
  turnDetection: turnDetectionSchema.prefault({}),
  interruption: interruptionSchema.prefault({}),
  preemptiveGeneration: preemptiveSchema.prefault({}),
  chunker: chunkerSchema.prefault({}),
  playout: playoutSchema.prefault({}),
  tools: z.array(z.custom<Tool>((t) => typeof t === 'object' && t !== null && 'execute' in t)).default([]),
  /** Tools running longer than this get a filler phrase spoken; 0 disables it. */
  toolFiller: z
    .object({ afterMs: z.number().nonnegative().default(0), text: z.string().default('One moment.') })
    .prefault({}),
  /** How a failed or ended STT/VAD stream is reopened. */
  recognitionRetry: recognitionRetrySchema.prefault({}),
  /**
   * An apology spoken when the LLM fails a reply (e.g. `{ text: 'Sorry, I could not answer
   * that. Please try again.' }`). Off by default: the session cannot know the agent's language,
   * and the typed `error` event always reports the failure.
   */
  errorReply: errorReplySchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  /**
   * Custom stages of the session's pipeline (see {@link VoicePipeline}); the defaults
   * ({@link defaultStages}) run where none is given.
   */
  pipeline: pipelineSchema.optional(),
  /**
   * Sample rate of `pushAudio` frames. Defaults to the recognizer's; set it when the
   * `audioIn` stage resamples (its output must be at the recognizer's rate).
   */
  inputSampleRate: z.number().int().positive().optional(),
  /** Scheduler for every timer and clock reading: pass a TestScheduler for virtual time. */
  scheduler: z
    .custom<SchedulerLike>((s) => typeof s === 'object' && s !== null && 'schedule' in s)
    .optional(),
});

/** What `createVoiceSession` accepts. Every field but the three providers has a default. */
export type VoiceSessionConfig = z.input<typeof voiceSessionConfigSchema>;
/** The configuration with every default filled in. */
export type ResolvedVoiceSessionConfig = z.output<typeof voiceSessionConfigSchema>;

/** Validates a session configuration, collecting every problem into one {@link ConfigError}. */
export function resolveVoiceSessionConfig(config: VoiceSessionConfig): ResolvedVoiceSessionConfig {
  const result = voiceSessionConfigSchema.safeParse(config);
  if (!result.success) {
    throw new ConfigError('Invalid voice session config', describeSchemaIssues(result.error));
  }
  return result.data;
}

/** Picks the value for an agent state from a {@link PerAgentState} setting. */
export function valueForState(setting: PerAgentState, state: 'thinking' | 'speaking'): number {
  return typeof setting === 'number' ? setting : setting[state];
}
