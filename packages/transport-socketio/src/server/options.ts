import type { VoiceSession } from '@voxduplex/core';
import type { Socket } from 'socket.io';
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

export interface AttachVoiceAgentOptions<I extends VoiceAgentIdentity = VoiceAgentIdentity> {
  /**
   * Checks the handshake before anything else is spent. Return the identity, or `null`/`false`
   * (or throw) to refuse: the client gets `connect_error` with `data.reason = 'unauthorized'`.
   * For an open demo: `() => ({ id: 'anonymous' })`.
   */
  authenticate(handshake: Handshake): I | null | false | undefined | Promise<I | null | false | undefined>;
  /** Builds the session for a new connection (typically `createVoiceSession({...})`). */
  createSession(context: SessionContext<I>): VoiceSession | Promise<VoiceSession>;
  limits?: TransportLimits;
  /** How long a dropped client may come back to the same session, ms. 0 disables. Default 30 000. */
  resumeWindowMs?: number;
  /** The sample rate microphone frames must have (the STT provider's). Default 16 000. */
  inputSampleRate?: number;
}

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
