import type { TurnMetrics } from '@voxduplex/core';

/** A span of the recording, in ms from its first sample. */
export interface RecordedSpan {
  readonly startMs: number;
  readonly endMs: number;
}

/** One word the agent spoke (from the TTS's word timings), placed on the recording. */
export interface RecordedWord extends RecordedSpan {
  readonly word: string;
}

/** What the user said in a turn: each final the recognizer gave, placed on the recording. */
export interface RecordedUtterance extends Partial<RecordedSpan> {
  readonly text: string;
}

/** A barge-in moment: the agent's speech paused, resumed or was cut. */
export interface RecordedControl {
  readonly atMs: number;
  readonly type: 'pause' | 'resume' | 'interrupt';
  readonly source?: string;
}

/** One agent speech: what it said, what was heard, when it played. */
export interface RecordedSpeech {
  readonly speechId: string;
  /** When its first sample played; absent for a speech cut before any audio. */
  startMs?: number;
  endMs?: number;
  text?: string;
  heardText?: string;
  /** Ms of the speech's audio played (the heard position of an interrupted speech). */
  playedMs?: number;
  interrupted?: boolean;
  readonly controls: RecordedControl[];
  /** Heard words, when the TTS reports word timings. */
  readonly words: RecordedWord[];
}

/** A tool the agent called in a turn. */
export interface RecordedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
  readonly startMs: number;
  endMs?: number;
  result?: string;
  isError?: boolean;
}

/** One exchange: the user's words (absent for `say()` speech) and the agent's speeches. */
export interface RecordedTurn {
  readonly turnId: string;
  /** When the turn was decided (the user's turn ended, or a `say()` began). */
  readonly atMs: number;
  userText?: string;
  readonly utterances: RecordedUtterance[];
  readonly speeches: RecordedSpeech[];
  readonly toolCalls: RecordedToolCall[];
  metrics?: TurnMetrics;
}

/** A fallback chain the session uses moved to another provider, or got its provider back. */
export type RecordedProviderChange =
  | {
      readonly type: 'switched';
      readonly atMs: number;
      readonly kind: string;
      readonly chain: string;
      readonly from: string;
      readonly to: string;
      /** The error code that made the chain move on. */
      readonly code: string;
    }
  | {
      readonly type: 'recovered';
      readonly atMs: number;
      readonly kind: string;
      readonly chain: string;
      readonly provider: string;
      readonly downMs: number;
    };

/**
 * The JSON beside a call's WAV: who spoke when, what was heard, tool calls, barge-ins and each
 * turn's latency. Times are ms from the recording's first sample, so they index the WAV
 * directly (sample = ms × sampleRate / 1000).
 */
export interface CallTranscript {
  readonly version: 1;
  readonly sessionId: string;
  /** Wall-clock time of the recording's first sample, ISO 8601. */
  readonly startedAt: string;
  readonly sampleRate: number;
  /** Left: the user's microphone. Right: the agent, as played. */
  readonly channels: readonly ['user', 'agent'];
  durationMs: number;
  readonly turns: RecordedTurn[];
  readonly errors: {
    readonly atMs: number;
    readonly code: string;
    readonly message: string;
    readonly turnId?: string;
  }[];
  /** Fallback chains moving between providers during the call (absent in files written before it was recorded). */
  readonly providerChanges?: RecordedProviderChange[];
  /**
   * Why the recording ended (the session's close reason, or `stopped`). Absent when the
   * recording never ended: read from the journal of a process that stopped mid-call.
   */
  endReason?: string;
}
