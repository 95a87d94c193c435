import type { SessionEvent, VoiceSession, VoxError } from '@voxduplex/core';
import type { Socket } from 'socket.io';
import type { ReadyMessage } from '../protocol/server-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { CheckpointGate } from './checkpoint-gate';
import type { ClientMessage } from './inbound';
import { InboundDispatcher, type InboundHost } from './inbound-dispatcher';
import type { ResolvedTransportLimits } from './limits';
import type { LinkRecord } from './link-record';
import { OutboundForwarder } from './outbound-forwarder';
import type { KeptLink, SessionKeeper } from './session-keeper';
import { type SessionSnapshot, SNAPSHOT_VERSION } from './session-snapshot';

/** What a link needs from its server. */
export interface LinkHost extends InboundHost {
  readonly limits: ResolvedTransportLimits;
  readonly resumeWindowMs: number;
  /** The Socket.IO server decodes compact audio messages (it was built with `voiceParser`). */
  readonly compactAudio: boolean;
  /** Writes the link's record to the session store. */
  readonly keeper: SessionKeeper<SessionLink>;
  /** The app's restorable settings for this session (`snapshotMetadata`), `{}` without one. */
  snapshotMetadata(link: SessionLink): Record<string, unknown>;
  onDropped(durationMs: number): void;
  /** The session closed (by itself, by the registry, or the resume window ended). */
  onClosed(link: SessionLink, reason: string): void;
  /** The session reported an error (the client gets its code; the host may log the rest). */
  onSessionError(link: SessionLink, error: VoxError, turnId: string | undefined): void;
}

/** Why the link's socket was bound: a new session, a resume here, or a session rebuilt from the store. */
export type AttachKind = 'new' | 'resumed' | NonNullable<ReadyMessage['restored']>;

/**
 * One session and the socket currently serving it. Outlives a dropped socket for the resume
 * window: `detach()` suspends the session, `attach()` with a new socket resumes it.
 *
 * The link owns the lifecycle (which socket, suspend, resume, close) and keeps the session's
 * record in the store (at each `ready`, each finished turn and a drop; deleted at close), so
 * any node can rebuild the session; what the client sends is applied by its
 * {@link InboundDispatcher}, what the session says is sent by its {@link OutboundForwarder}.
 *
 * A finished turn reaches the client only once it is stored: the `speech-end` that ends it (and
 * whatever the session says after it) waits, through a {@link CheckpointGate}, until the turn's
 * checkpoint write settles, at most `storeTimeoutMs`. So a client that was told a turn ended
 * finds that turn in the store if this process dies the next instant; `ready` waits likewise
 * for the resume token it carries. The session itself never waits; a store known to be failing
 * holds nothing (see {@link SessionKeeper.isStoreAnswering}).
 */
export class SessionLink implements KeptLink {
  #socket: Socket | undefined;
  #expiry: ReturnType<typeof setTimeout> | undefined;
  #isDone = false;
  #isHandedOff = false;
  #lastSpeech: SessionSnapshot['lastSpeech'];
  readonly #inbound: InboundDispatcher;
  readonly #outbound: OutboundForwarder;
  /**
   * What the client is told goes through this: a session event, or a message of the link's own
   * (`ready`). A turn end waits for its checkpoint, `ready` for its token to be stored.
   */
  readonly #toClient: CheckpointGate<SessionEvent | (() => void)>;
  readonly #subscription;

  /** `restored`: the snapshot this session was rebuilt from (another node held it). */
  constructor(
    readonly session: VoiceSession,
    readonly identityId: string,
    readonly host: LinkHost,
    readonly record: LinkRecord,
    restored?: SessionSnapshot,
  ) {
    this.#lastSpeech = restored?.lastSpeech;
    this.#inbound = new InboundDispatcher(session, host, restored?.isStarted ?? false);
    this.#outbound = new OutboundForwarder(
      { windowMs: host.limits.outboundWindowMs, maxQueueMs: host.limits.maxOutboundQueueMs },
      (durationMs) => host.onDropped(durationMs),
    );
    this.#toClient = new CheckpointGate(host.keeper.timeoutMs, (item) =>
      typeof item === 'function' ? item() : this.#outbound.forward(item),
    );
    host.keeper.keep(this);
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

  /**
   * Binds a socket, resuming the session if it was parked, and sends `ready` and the state —
   * once the new resume token is stored (at most `storeTimeoutMs`), like a turn end: the token
   * a client holds always opens its session's record, even if this process dies at once.
   */
  attach(socket: Socket, kind: AttachKind): void {
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#socket = socket;
    // Bound before `resume()`: what the session says while resuming goes to this socket.
    this.#outbound.attach(socket);
    if (this.session.isSuspended) this.session.resume();
    const { token, saved } = this.record.issueToken();
    if (this.host.keeper.isStoreAnswering) this.#toClient.holdUntil(saved);
    const ready: ReadyMessage = {
      protocol: PROTOCOL_VERSION,
      sessionId: this.sessionId,
      resumeToken: token,
      resumeWindowMs: this.host.resumeWindowMs,
      resumed: kind !== 'new',
      inputSampleRate: this.host.inputSampleRate,
      isStarted: this.#inbound.isStarted,
      ...(this.host.compactAudio ? { compactAudio: true } : {}),
      ...(kind === 'drop' || kind === 'checkpoint' ? { restored: kind } : {}),
    };
    const { agent, user, phase } = this.session.state;
    this.#toClient.send(() => {
      socket.emit('ready', ready);
      socket.emit('state', { agent, user, phase });
    });
  }

  /**
   * Unbinds the socket. A client that left on purpose (`canResume` false) ends the session now.
   * Otherwise, with a resume window, the session is suspended (provider streams closed,
   * nothing billed) and saved to the store, until `attach()` here, a resume on another node, or
   * the end of the window; without a window it is closed.
   */
  detach(reason: string, canResume: boolean): void {
    this.#unbind();
    if (this.session.isClosed) return;
    if (!canResume || this.host.resumeWindowMs <= 0) {
      this.session.close(reason);
      return;
    }
    this.session.suspend();
    this.record.save('drop');
    this.#expiry = setTimeout(() => this.session.close('resume window expired'), this.host.resumeWindowMs);
  }

  /**
   * Lets another node carry the session on (this one is shutting down for a deploy): the
   * session is suspended and saved as at a drop, closed here without deleting its record, and
   * the client's connection is cut without `closed`, so it reconnects and resumes elsewhere.
   */
  async handOff(): Promise<void> {
    const socket = this.#socket;
    this.#unbind();
    if (this.session.isClosed) return;
    this.session.suspend();
    this.record.save('drop');
    await this.record.settled();
    this.#isHandedOff = true;
    this.session.close('handed off to another server');
    socket?.conn.close();
  }

  /** Hands the session to a new socket; the old one is disconnected without suspending. */
  takeOver(socket: Socket): void {
    const previous = this.#socket;
    this.#unbind();
    previous?.disconnect(true);
    this.attach(socket, 'resumed');
  }

  /** Applies a validated client message from the bound socket (others are ignored). */
  handle(socket: Socket, message: ClientMessage): void {
    if (socket !== this.#socket) return;
    this.#inbound.handle(socket, message);
  }

  snapshot(savedOn: SessionSnapshot['savedOn']): SessionSnapshot {
    const [first, ...rest] = this.session.history;
    return {
      version: SNAPSHOT_VERSION,
      protocol: PROTOCOL_VERSION,
      sessionId: this.sessionId,
      identityId: this.identityId,
      savedAtMs: Date.now(),
      savedOn,
      // The system prompt is the app's to set again (it may have changed with a deploy).
      history: first?.role === 'system' ? rest : this.session.history,
      isStarted: this.#inbound.isStarted,
      ...(this.#lastSpeech ? { lastSpeech: this.#lastSpeech } : {}),
      metadata: this.host.snapshotMetadata(this),
    };
  }

  supersede(): void {
    this.session.close('resumed on another server');
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
    if (event.type === 'speech-end') {
      const { turnId, speechId, interrupted, heardText } = event;
      this.#lastSpeech = { turnId, speechId, interrupted, heardText };
      // A finished turn is a checkpoint: a node that dies loses at most the turn after it. The
      // client hears of the turn's end once the checkpoint is written (or the store timed out),
      // never before: the write starts after the reply finished, so no reply waits for it.
      // (A speech cut by `suspend()` is saved with the drop that follows at once.)
      if (!this.session.isSuspended) {
        const written = this.record.save('turn');
        if (this.host.keeper.isStoreAnswering) this.#toClient.holdUntil(written);
      }
    }
    this.#toClient.send(event);
  }

  /** No socket any more: what waits for a checkpoint is dropped with the socket's audio queue. */
  #unbind(): void {
    this.#toClient.clear();
    this.#outbound.detach();
    this.#socket = undefined;
  }

  #closed(reason: string): void {
    if (this.#isDone) return;
    this.#isDone = true;
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#subscription?.unsubscribe();
    // The record is deleted (or handed off) now: a turn end waiting for it goes out before `closed`.
    this.#toClient.release();
    this.#outbound.detach();
    this.host.keeper.forget(this, this.#isHandedOff);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket?.connected) {
      socket.emit('closed', { reason });
      socket.disconnect(true);
    }
    this.host.onClosed(this, reason);
  }
}
