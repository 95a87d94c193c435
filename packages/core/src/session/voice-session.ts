import type { EventEmitter } from 'eventemitter3';
import type { Observable } from 'rxjs';
import type { SpeechAudio } from '../frames/agent';
import type { AudioFrame } from '../frames/audio';
import type { ChatMessage } from '../frames/chat';
import type { DtmfDigit } from '../frames/dtmf';
import type { PlaybackControl } from '../frames/playback-control';
import type { TurnMetrics } from '../metrics/turn-metrics';
import type { SessionEvent, SessionEventMap } from './events';
import type { SessionState } from './state';

/** Audio in: a full {@link AudioFrame}, or just samples and rate (the session keeps the clock). */
export type AudioInput =
  | AudioFrame
  | {
      readonly samples: Int16Array;
      readonly sampleRate: number;
      readonly channels?: number;
      readonly seq?: number;
    };

export interface SayOptions {
  /** False for speech that must be heard whole (a legal notice); user speech then waits. */
  readonly allowInterruptions?: boolean;
  /** Add the text to the history as an assistant message (default true). */
  readonly addToHistory?: boolean;
}

/** Where the listener's player is in a speech. */
export interface PlaybackAck {
  readonly speechId: string;
  /** Milliseconds of this speech's audio actually played. */
  readonly playedMs: number;
}

type Listeners = { [K in keyof SessionEventMap]: (event: SessionEventMap[K]) => void };

/**
 * One live conversation. Created by `createVoiceSession`; owns its provider streams and timers
 * and releases all of them on `close()`.
 *
 * Outbound data: `audio$` (agent audio, data lane) and `controls$` (pause/resume/interrupt,
 * control lane, never behind data). Everything else: `events$` or `on(type, fn)`.
 */
export interface VoiceSession extends Pick<EventEmitter<Listeners>, 'on' | 'once' | 'off'> {
  readonly id: string;
  readonly state: SessionState;
  readonly isClosed: boolean;
  /** The conversation so far, system prompt first. Interrupted replies hold only heard text. */
  readonly history: readonly ChatMessage[];

  readonly events$: Observable<SessionEvent>;
  /** Current state first, then every change. */
  readonly state$: Observable<SessionState>;
  readonly audio$: Observable<SpeechAudio>;
  readonly controls$: Observable<PlaybackControl>;
  readonly metrics$: Observable<TurnMetrics>;

  /** Feeds microphone audio. Frames must be at the STT provider's sample rate. */
  pushAudio(frame: AudioInput): void;
  /**
   * A key the caller pressed (DTMF, from a telephony transport). Emitted as a `dtmf` event and on
   * the `dtmf$` of replies and tools; it neither interrupts nor ends a turn. Anything but one
   * {@link DtmfDigit} is dropped with an `error` event (`ProtocolError`). No-op once closed.
   *
   * @example
   * ```ts
   * session.on('dtmf', ({ digit }) => { if (digit === '0') transferToOperator(); });
   * ```
   */
  pushDtmf(digit: DtmfDigit): void;
  /** A typed user message, handled as a finished user turn. */
  sendText(text: string): void;
  /** Speaks a fixed text (no LLM). Returns the new speechId. */
  say(text: string, options?: SayOptions): string;
  /** Interrupts the current agent speech now (source `programmatic`). No-op while listening. */
  interrupt(): void;
  /** The listener reports how much of a speech it has played. */
  playbackAck(ack: PlaybackAck): void;
  /** The listener played the first sample of a speech (drives voice-to-voice latency). */
  playbackStarted(speechId: string): void;
  /** The listener finished playing a speech. */
  playbackFinished(speechId: string): void;
  /** Switches barge-in off (e.g. while reading a notice) and on again. */
  setInterruptionsEnabled(enabled: boolean): void;
  /**
   * Parks the session while its listener is away (e.g. a dropped connection that may come back):
   * the current speech is cut where the listener last acked it (history keeps the heard part),
   * recognition and VAD streams are closed so nothing is billed, timers stop, agent → `idle`.
   * History and settings stay. No-op when already suspended.
   */
  suspend(): void;
  /** Leaves `suspend()`: agent → `listening`; recognition reopens with the next audio frame. */
  resume(): void;
  readonly isSuspended: boolean;
  /** Ends the session: aborts provider work, stops timers, completes every observable. Idempotent. */
  close(reason?: string): void;
}
