import type { SessionEvent, VoiceSession, VoxError } from '@voxduplex/core';
import type { Socket } from 'socket.io';
import { PROTOCOL_VERSION } from '../protocol/version';
import type { ClientMessage } from './inbound';
import { InboundDispatcher, type InboundHost } from './inbound-dispatcher';
import type { ResolvedTransportLimits } from './limits';
import { OutboundForwarder } from './outbound-forwarder';

/** What a link needs from its server. */
export interface LinkHost extends InboundHost {
  readonly limits: ResolvedTransportLimits;
  readonly resumeWindowMs: number;
  /** The Socket.IO server decodes compact audio messages (it was built with `voiceParser`). */
  readonly compactAudio: boolean;
  issueToken(sessionId: string, identityId: string): string;
  onDropped(durationMs: number): void;
  /** The session closed (by itself, by the registry, or the resume window ended). */
  onClosed(link: SessionLink, reason: string): void;
  /** The session reported an error (the client gets its code; the host may log the rest). */
  onSessionError(link: SessionLink, error: VoxError, turnId: string | undefined): void;
}

/**
 * One session and the socket currently serving it. Outlives a dropped socket for the resume
 * window: `detach()` suspends the session, `attach()` with a new socket resumes it.
 *
 * The link owns the lifecycle (which socket, suspend, resume, close); what the client sends is
 * applied by its {@link InboundDispatcher}, what the session says is sent by its
 * {@link OutboundForwarder}.
 */
export class SessionLink {
  #socket: Socket | undefined;
  #expiry: ReturnType<typeof setTimeout> | undefined;
  #isDone = false;
  readonly #inbound: InboundDispatcher;
  readonly #outbound: OutboundForwarder;
  readonly #subscription;

  constructor(
    readonly session: VoiceSession,
    readonly identityId: string,
    readonly host: LinkHost,
  ) {
    this.#inbound = new InboundDispatcher(session, host);
    this.#outbound = new OutboundForwarder(
      { windowMs: host.limits.outboundWindowMs, maxQueueMs: host.limits.maxOutboundQueueMs },
      (durationMs) => host.onDropped(durationMs),
    );
    this.#subscription = session.events$.subscribe({
      next: (event) => this.#onEvent(event),
      complete: () => this.#closed('closed'),
    });
    session.once('closed', ({ reason }) => this.#closed(reason));
  }

  get sessionId(): string {
    return this.session.id;
  }

  get socket(): Socket | undefined {
    return this.#socket;
  }

  get isSuspended(): boolean {
    return this.#socket === undefined && !this.session.isClosed;
  }

  /** Binds a socket, resuming the session if it was parked, and sends `ready` and the state. */
  attach(socket: Socket, resumed: boolean): void {
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#socket = socket;
    // Bound before `resume()`: what the session says while resuming goes to this socket.
    this.#outbound.attach(socket);
    if (this.session.isSuspended) this.session.resume();
    socket.emit('ready', {
      protocol: PROTOCOL_VERSION,
      sessionId: this.sessionId,
      resumeToken: this.host.issueToken(this.sessionId, this.identityId),
      resumeWindowMs: this.host.resumeWindowMs,
      resumed,
      inputSampleRate: this.host.inputSampleRate,
      isStarted: this.#inbound.isStarted,
      ...(this.host.compactAudio ? { compactAudio: true } : {}),
    });
    const { agent, user, phase } = this.session.state;
    socket.emit('state', { agent, user, phase });
  }

  /**
   * Unbinds the socket. A client that left on purpose (`canResume` false) ends the session now.
   * Otherwise, with a resume window, the session is suspended (provider streams closed,
   * nothing billed) until `attach()` or the window ends; without one it is closed.
   */
  detach(reason: string, canResume: boolean): void {
    this.#outbound.detach();
    this.#socket = undefined;
    if (this.session.isClosed) return;
    if (!canResume || this.host.resumeWindowMs <= 0) {
      this.session.close(reason);
      return;
    }
    this.session.suspend();
    this.#expiry = setTimeout(() => this.session.close('resume window expired'), this.host.resumeWindowMs);
  }

  /** Hands the session to a new socket; the old one is disconnected without suspending. */
  takeOver(socket: Socket): void {
    const previous = this.#socket;
    this.#outbound.detach();
    this.#socket = undefined;
    previous?.disconnect(true);
    this.attach(socket, true);
  }

  /** Applies a validated client message from the bound socket (others are ignored). */
  handle(socket: Socket, message: ClientMessage): void {
    if (socket !== this.#socket) return;
    this.#inbound.handle(socket, message);
  }

  #onEvent(event: SessionEvent): void {
    if (event.type === 'closed') {
      this.#closed(event.reason);
      return;
    }
    if (event.type === 'error') this.host.onSessionError(this, event.error, event.turnId);
    // The client may report playback of any speech the session announced, even while away.
    if (event.type === 'speech-start') this.#inbound.rememberSpeech(event.speechId);
    else if (event.type === 'audio') this.#inbound.rememberSpeech(event.audio.speechId);
    this.#outbound.forward(event);
  }

  #closed(reason: string): void {
    if (this.#isDone) return;
    this.#isDone = true;
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#subscription?.unsubscribe();
    this.#outbound.detach();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket?.connected) {
      socket.emit('closed', { reason });
      socket.disconnect(true);
    }
    this.host.onClosed(this, reason);
  }
}
