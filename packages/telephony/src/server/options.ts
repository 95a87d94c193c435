import type { IncomingMessage } from 'node:http';
import type { Logger, VoiceSession, VoxError } from '@voxduplex/core';
import type { CallStart, MediaStreamSerializer } from '../stream/media-stream';
import type { PhoneLimits } from './limits';

/** Who is calling, as `authenticate` decided. `id` names the caller in logs and hooks. */
export interface PhoneCallIdentity {
  readonly id: string;
}

/**
 * Checks a call once its stream's `start` arrived (custom parameters, call id, numbers, and the
 * WebSocket upgrade `request` with its headers), before any session or provider cost. Return the
 * identity, or `null`/`false` (or throw) to refuse: the stream is closed with `unauthorized`.
 */
export type AuthenticateCall<I extends PhoneCallIdentity = PhoneCallIdentity> = (
  call: CallStart,
  request: IncomingMessage,
) => I | null | false | undefined | Promise<I | null | false | undefined>;

/** What `createSession` is told about the call it serves. */
export interface PhoneCallContext<I extends PhoneCallIdentity> {
  readonly identity: I;
  readonly call: CallStart;
  /** The WebSocket upgrade request (headers, address). */
  readonly request: IncomingMessage;
}

/**
 * Called as calls go through their life: `refused`, or `callStarted`, any `sessionError`s and
 * `callEnded`. A hook that throws is logged at error and changes nothing for the call.
 */
export interface PhoneAgentHooks<I extends PhoneCallIdentity = PhoneCallIdentity> {
  /** The stream was closed before a session: no `start` in time, unusable format, or `authenticate` said no. */
  refused?(event: {
    readonly callId: string | undefined;
    readonly reason: 'unauthorized' | 'no_start' | 'unusable_stream';
    readonly message: string;
    readonly error?: unknown;
  }): void;
  callStarted?(event: {
    readonly callId: string;
    readonly sessionId: string;
    readonly identity: I;
    readonly call: CallStart;
  }): void;
  /** The call and its session ended (hang-up, `stop`, the session closed, server `close()`). */
  callEnded?(event: { readonly callId: string; readonly sessionId: string; readonly reason: string }): void;
  /** The session reported an error, or `createSession` threw (`sessionId` undefined, the call is closed). */
  sessionError?(event: {
    readonly callId: string;
    readonly sessionId: string | undefined;
    readonly error: VoxError;
    readonly turnId?: string;
  }): void;
}

/** Everything of {@link AttachPhoneAgentOptions} except who may call. */
export interface PhoneAgentServerOptions<I extends PhoneCallIdentity = PhoneCallIdentity> {
  /** Builds the session for a call (typically `createVoiceSession({...})`). */
  createSession(context: PhoneCallContext<I>): VoiceSession | Promise<VoiceSession>;
  /** The WebSocket path the carrier connects to. Default `/twilio/stream` (`/telnyx/stream` with {@link telnyxSerializer}). */
  readonly path?: string;
  /** The carrier's wire format: {@link twilioSerializer} (default) or {@link telnyxSerializer}. */
  readonly serializer?: MediaStreamSerializer;
  /** The rate the session's STT wants; caller audio is resampled to it. Default 16 000. */
  readonly inputSampleRate?: number;
  /** Agent audio sent ahead of what the caller hears, ms. Default 150. */
  readonly leadMs?: number;
  readonly limits?: PhoneLimits;
  /**
   * Where refusals, dropped messages, call starts and ends and session errors are written.
   * Default `consoleLogger('warn')`. Errors are logged by code, source, message and the messages
   * of their causes; hooks get the full error.
   */
  readonly logger?: Logger;
  readonly hooks?: PhoneAgentHooks<I>;
}

/**
 * Who may call: an `authenticate` function, or `allowAnonymous: true` (every call gets the
 * identity `{ id: 'anonymous-<call id>' }`). With neither, {@link attachPhoneAgent} throws a
 * `ConfigError` at start-up. Anonymous calls still only come from whoever your webhook answers:
 * check the carrier's signature there ({@link twilioVoiceWebhook}, {@link telnyxVoiceWebhook}).
 */
export type PhoneAgentAccess<I extends PhoneCallIdentity = PhoneCallIdentity> =
  | { readonly authenticate: AuthenticateCall<I>; readonly allowAnonymous?: false }
  | { readonly allowAnonymous: true; readonly authenticate?: undefined };

/** Options of {@link attachPhoneAgent}. */
export type AttachPhoneAgentOptions<I extends PhoneCallIdentity = PhoneCallIdentity> =
  PhoneAgentServerOptions<I> & PhoneAgentAccess<I>;

/** Counters across every call of one {@link attachPhoneAgent}. */
export interface PhoneAgentStats {
  /** Calls whose stream is open (authenticating, creating the session, or live). */
  readonly activeCalls: number;
  readonly refusedCalls: number;
  /** Inbound messages dropped (malformed, unknown, oversized, over the rate, out of place). */
  readonly rejectedMessages: number;
  /** 20 ms agent frames sent, across every call so far. */
  readonly framesSent: number;
  /** Frames sent after the line had run dry although they were ready: the caller heard a gap. */
  readonly lateFrames: number;
  /** `clear` messages sent (barge-in pauses and interrupts). */
  readonly clears: number;
  /** Caller frames that came after a later one and were put back in place. */
  readonly callerFramesReordered: number;
  /** Caller frames dropped because they came too late (their place filled) or twice. */
  readonly callerFramesDropped: number;
  /** Silence frames put where a caller frame never came, so the caller's audio keeps its time. */
  readonly callerFramesFilled: number;
}
