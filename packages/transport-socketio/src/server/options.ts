import type { Logger, VoiceSession, VoxError } from '@voxduplex/core';
import type { Socket } from 'socket.io';
import type { ConnectRefusalReason } from '../protocol/wire-error';
import type { TransportLimits } from './limits';

/** The Socket.IO handshake: headers, query, `auth` object, address. */
export type Handshake = Socket['handshake'];

/** Who is on the other end of a socket. `id` is what resume tokens are bound to. */
export interface VoiceAgentIdentity {
  readonly id: string;
}

/** What `createSession` is told about the connection it serves. */
export interface SessionContext<I extends VoiceAgentIdentity> {
  readonly identity: I;
  readonly handshake: Handshake;
  readonly socketId: string;
}

/**
 * Checks a handshake before anything else is spent. Return the identity, or `null`/`false`
 * (or throw) to refuse: the client gets `connect_error` with `data.reason = 'unauthorized'`,
 * and the server logs the refusal at warn (with what was thrown, if it threw).
 */
export type Authenticate<I extends VoiceAgentIdentity = VoiceAgentIdentity> = (
  handshake: Handshake,
) => I | null | false | undefined | Promise<I | null | false | undefined>;

/**
 * Called as a connection and its session go through their life, in this order: `connected`,
 * then `authenticated` or `refused`, then `sessionStarted`, any `sessionError`s, and
 * `sessionEnded`. A resumed connection goes `connected` → `authenticated` and re-attaches to its
 * session without a second `sessionStarted`. A hook that throws is logged at error and changes
 * nothing for the client. Hooks run whatever the logger's level.
 */
export interface VoiceAgentHooks<I extends VoiceAgentIdentity = VoiceAgentIdentity> {
  /** A handshake reached the namespace; nothing is checked yet. */
  connected?(event: { readonly socketId: string; readonly handshake: Handshake }): void;
  /** `authenticate` accepted the handshake (or `allowAnonymous` let it in). */
  authenticated?(event: { readonly socketId: string; readonly identity: I }): void;
  /**
   * The handshake was refused: the client got `connect_error` with `data.reason = reason`.
   * `message` says why, for the server's eyes (the client gets a shorter one); `error` is what
   * `authenticate` threw or rejected with, when it did.
   */
  refused?(event: {
    readonly socketId: string;
    readonly reason: ConnectRefusalReason;
    readonly message: string;
    readonly error?: unknown;
  }): void;
  /** `createSession` returned a new session for this client (its `ready` follows at once). */
  sessionStarted?(event: {
    readonly socketId: string;
    readonly sessionId: string;
    readonly identity: I;
  }): void;
  /** The session closed (client left, resume window over, `close()`, or the session itself). */
  sessionEnded?(event: {
    readonly sessionId: string;
    readonly identityId: string;
    readonly reason: string;
  }): void;
  /**
   * A session reported an error (the client got a `session_error` with the code only), or
   * `createSession` threw (then `sessionId` is undefined and the client was disconnected).
   * `error` is the full error, message and `cause` included: it may quote provider credentials,
   * so do not send it anywhere public.
   */
  sessionError?(event: {
    readonly sessionId: string | undefined;
    readonly identityId: string;
    readonly error: VoxError;
    readonly turnId?: string;
  }): void;
}

/** Everything of {@link AttachVoiceAgentOptions} except who may connect. */
export interface VoiceAgentServerOptions<I extends VoiceAgentIdentity = VoiceAgentIdentity> {
  /** Builds the session for a new connection (typically `createVoiceSession({...})`). */
  createSession(context: SessionContext<I>): VoiceSession | Promise<VoiceSession>;
  limits?: TransportLimits;
  /** How long a dropped client may come back to the same session, ms. 0 disables. Default 30 000. */
  resumeWindowMs?: number;
  /** The sample rate microphone frames must have (the STT provider's). Default 16 000. */
  inputSampleRate?: number;
  /**
   * Where refusals, session starts and ends, and session errors are written. Console, pino or
   * any {@link Logger}. Default: `consoleLogger('warn')` (refusals and failures only). Errors
   * are logged by code, source, message and the messages of their causes, never with the
   * handshake's headers or the cause objects themselves; hooks get the full error. Each
   * session's turns and speeches go here too (`logSession`: debug, metrics at info), and every
   * line passes through `redactingLogger`, which masks what looks like a credential.
   */
  logger?: Logger;
  /** Lifecycle callbacks (metrics, audit, alerting); see {@link VoiceAgentHooks}. */
  hooks?: VoiceAgentHooks<I>;
}

/**
 * Who may connect: an `authenticate` function, or `allowAnonymous: true` for an open demo.
 * With neither, {@link attachVoiceAgent} throws a `ConfigError` at start-up rather than refuse
 * every client later.
 */
export type VoiceAgentAccess<I extends VoiceAgentIdentity = VoiceAgentIdentity> =
  | {
      /** See {@link Authenticate}. */
      authenticate: Authenticate<I>;
      allowAnonymous?: false;
    }
  | {
      /**
       * Lets every client in without authentication: each gets the identity
       * `{ id: 'anonymous-<socket id>' }` (unique per connection). A resume token alone
       * then brings a client back to its session, whatever its new socket id. Anyone who can
       * reach the namespace can start sessions and spend provider quota: demos and local
       * tools only.
       */
      allowAnonymous: true;
      authenticate?: undefined;
    };

/** Options of {@link attachVoiceAgent}: the server options plus who may connect. */
export type AttachVoiceAgentOptions<I extends VoiceAgentIdentity = VoiceAgentIdentity> =
  VoiceAgentServerOptions<I> & VoiceAgentAccess<I>;

/** Counters across every socket of one {@link attachVoiceAgent}. */
export interface TransportStats {
  readonly connectedSockets: number;
  readonly sessions: number;
  readonly suspendedSessions: number;
  /** Handshakes refused (auth, resume, protocol). */
  readonly refusedConnections: number;
  /** Inbound messages dropped with a typed error. */
  readonly rejectedMessages: number;
  /** Agent audio chunks dropped by the outbound drop policy (slow clients). */
  readonly droppedAudioChunks: number;
  readonly droppedAudioMs: number;
  /** Sessions re-attached with a resume token. */
  readonly resumedSessions: number;
}
