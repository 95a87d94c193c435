import type { VoxError } from '../errors/vox-error';
import type { SpeechAudio } from '../frames/agent';
import type { ToolCall } from '../frames/chat';
import type { DtmfDigit } from '../frames/dtmf';
import type { PlaybackControl } from '../frames/playback-control';
import type { Transcript } from '../frames/transcript';
import type { TurnMetrics } from '../metrics/turn-metrics';
import type { ProviderHealthEvent } from '../providers/health';
import type { SessionState } from './state';

/**
 * Everything a session reports, as one discriminated union (`events$`) and as named
 * eventemitter3 events (`session.on('transcript', …)`).
 */
export interface SessionEventMap {
  /** Agent or user state changed. */
  state: { readonly state: SessionState; readonly previous: SessionState };
  /** Interim or final recognition of the user's speech. */
  transcript: { readonly transcript: Transcript };
  /** The user's turn ended; the agent answers `text`. */
  'user-turn': { readonly turnId: string; readonly text: string };
  /** The agent starts a speech (a reply, a `say()`, a filler). */
  'speech-start': {
    readonly turnId: string;
    readonly speechId: string;
    readonly allowInterruptions: boolean;
  };
  /** A sentence of agent text, as written by the model, sent to TTS. */
  'agent-text': {
    readonly turnId: string;
    readonly speechId: string;
    readonly text: string;
    readonly index: number;
  };
  /** A chunk of agent audio left the session (also on `audio$`). */
  audio: { readonly audio: SpeechAudio };
  /**
   * The last audio chunk of the speech left the session: no more `audio` of `speechId` follows
   * (it may still be playing). `audioMs` is the speech's total audio. A listener that reports
   * `playbackFinished` after this ends the agent's turn at once, without the playout estimate.
   * Not emitted for a speech cut before its generation finished.
   */
  'speech-generated': { readonly turnId: string; readonly speechId: string; readonly audioMs: number };
  /** A playback control left the session (also on `controls$`). */
  control: { readonly control: PlaybackControl };
  /**
   * The speech ended: played out, or cut short — interrupted, or failed part-way (a provider
   * or a pipeline stage) — with only `heardText` heard.
   */
  'speech-end': {
    readonly turnId: string;
    readonly speechId: string;
    readonly interrupted: boolean;
    readonly heardText: string;
    readonly text: string;
    /**
     * Milliseconds of the speech's audio the session holds as played (acked, or estimated from
     * the time it was sent): where `heardText` ends. The whole audio for a speech played out.
     */
    readonly playedMs: number;
  };
  'tool-call': { readonly turnId: string; readonly call: ToolCall };
  'tool-result': {
    readonly turnId: string;
    readonly toolCallId: string;
    readonly name: string;
    readonly result: string;
    readonly isError: boolean;
  };
  /**
   * The caller pressed a key (`pushDtmf`, fed by a telephony transport). Also on the `dtmf$` of
   * a `ReplyTurn` and of a tool's context. A key neither interrupts the agent nor ends a
   * turn by itself: the app or a tool decides what it means.
   */
  dtmf: { readonly digit: DtmfDigit };
  /** Latency breakdown of a finished turn. */
  metrics: { readonly metrics: TurnMetrics };
  /** A typed error. The turn it hit ended; the session lives on. */
  error: { readonly error: VoxError; readonly turnId?: string };
  /**
   * A recognition stream (STT or VAD) failed (an `error` event came first) or ended. The session
   * opens a new one on the next audio after `retryInMs` — at once for a healthy stream that
   * ended, with doubling waits (capped by `recognitionRetry.maxDelayMs`) while it keeps failing.
   */
  'recognition-lost': {
    readonly provider: 'stt' | 'vad';
    readonly reason: 'failed' | 'ended';
    /** Failures in a row since the provider last delivered an event. */
    readonly consecutiveFailures: number;
    readonly retryInMs: number;
  };
  /**
   * A fallback chain the session uses (`fallbackStt`, `fallbackLlm`, `fallbackTts`) took
   * provider `from` out of service after `error` and now starts requests on `to`. A request
   * already under way moved on by itself if it could (before its first output); the turn ends
   * with an `error` only when it could not. Every session sharing the chain is told.
   */
  'provider-switched': Omit<Extract<ProviderHealthEvent, { type: 'switched' }>, 'type'>;
  /** A provider of a fallback chain the session uses answered again after `downMs` out of service. */
  'provider-recovered': Omit<Extract<ProviderHealthEvent, { type: 'recovered' }>, 'type'>;
  /** Terminal: the session closed and released everything. */
  closed: { readonly reason: string };
}

export type SessionEventType = keyof SessionEventMap;

/** One session event: `{ type: 'transcript', transcript }` etc. */
export type SessionEvent = {
  [K in SessionEventType]: { readonly type: K } & SessionEventMap[K];
}[SessionEventType];
