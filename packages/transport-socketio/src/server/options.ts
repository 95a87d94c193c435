import type { ChatMessage, Logger, VoiceSession, VoxError } from '@voxduplex/core';
import type { Socket } from 'socket.io';
import type { ConnectRefusalReason } from '../protocol/wire-error';
import type { TransportLimits } from './limits';
import type { SessionStore } from './session-store';
import type { SnapshotKey } from './snapshot-cipher';

/** The Socket.IO handshake: headers, query, `auth` object, address. */
export type Handshake = Socket['handshake'];

/** Who is on the other end of a socket. `id` is what resume tokens are bound to. */
export interface VoiceAgentIdentity {
  readonly id: string;
}

/**
 * A conversation another server process held, to be rebuilt here (its client resumed on this
 * process after a drop, or after that process died). Pass `config` to `createVoiceSession` and
 * rebuild providers from `metadata`; a session with another id is taken as a new one.
 */
export interface RestoredSession {
  readonly sessionId: string;
  /** The identity the session was started for. */
  readonly identityId: string;
  /** The conversation without the system prompt: through the drop, or through the last finished turn. */
  readonly history: readonly ChatMessage[];
  /** What `snapshotMetadata` returned when the snapshot was written. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `drop`: saved when the client dropped (complete). `checkpoint`: saved after the last finished turn. */
  readonly savedOn: 'drop' | 'checkpoint';
  /** When it was saved, epoch ms. */
  readonly savedAtMs: number;
  /** Spread into `createVoiceSession({ ...providers, ...restored.config })`: the same id and history. */
  readonly config: { readonly id: string; readonly history: ChatMessage[] };
}

/** What `createSession` is told about the connection it serves. */
export interface SessionContext<I extends VoiceAgentIdentity> {
  readonly identity: I;
  readonly handshake: Handshake;
  readonly socketId: string;
  /** Set when the session is rebuilt from another process's snapshot: build it from this. */
  readonly restored?: RestoredSession;
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
  /**
   * `createSession` returned a new session for this client (its `ready` follows at once).
   * `restored`: it was rebuilt from another process's snapshot (the client resumed here).
   */
  sessionStarted?(event: {
    readonly socketId: string;
    readonly sessionId: string;
    readonly identity: I;
    readonly restored?: boolean;
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
  /**
   * Where sessions are saved so a client can resume on any process: a snapshot (history, the
   * app's `snapshotMetadata`, identity, where the last speech was cut) with the resume token's
   * hash, written at each `ready`, each finished turn and each drop, kept for `resumeWindowMs`,
   * deleted when the session closes. Default: a {@link MemorySessionStore} (this process only).
   * Share one (`@voxduplex/session-store-redis`) between processes to resume on any of them and
   * to recover the clients of a process that died. Snapshots hold the conversation's text: see
   * `snapshotKey`.
   */
  sessionStore?: SessionStore;
  /**
   * Seals snapshots with AES-256-GCM before they reach the store: 32 bytes (or their base64 /
   * hex), or a list (the first seals, every one opens: rotate by putting the new key first).
   * Every process must have the key; a server with a key refuses unsealed snapshots.
   */
  snapshotKey?: SnapshotKey | readonly SnapshotKey[];
  /**
   * Bound on every session store call, ms; a call that takes longer counts as failed (a resume
   * that needs it is refused with `resume_unavailable`, a write is retried). Default 1000.
   * Also the longest a client's `speech-end` waits for its turn's checkpoint (the session goes
   * on meanwhile); once a call has failed, turn ends are not held until the store answers again.
   */
  storeTimeoutMs?: number;
  /**
   * The settings of a session to carry to another process (voice, language, the app's own
   * ids): JSON, returned at each snapshot and handed back as `context.restored.metadata`.
   * Default: none (`{}`). Put no secrets here unless snapshots are sealed.
   */
  snapshotMetadata?(event: {
    readonly session: VoiceSession;
    readonly identityId: string;
  }): Record<string, unknown>;
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
  /** Sessions re-attached with a resume token (on this process, or rebuilt from another's snapshot). */
  readonly resumedSessions: number;
  /** Of those, sessions rebuilt here from a snapshot another process wrote. */
  readonly restoredSessions: number;
}
