import { int16FromBytes } from '@voxduplex/core';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { bytesOf } from '../protocol/binary';
import type { PlaybackAckMessage } from '../protocol/client-messages';
import { encodeCompactAudio } from '../protocol/compact-audio';
import { encodeMicFrame } from '../protocol/mic-frame';
import {
  agentAudioHeaderSchema,
  agentTextMessageSchema,
  audioEndMessageSchema,
  closedMessageSchema,
  controlMessageSchema,
  metricsMessageSchema,
  readyMessageSchema,
  speechEndMessageSchema,
  speechStartMessageSchema,
  stateMessageSchema,
  transcriptMessageSchema,
  userTurnMessageSchema,
} from '../protocol/server-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import {
  connectRefusalSchema,
  type ErrorMessage,
  type ErrorReason,
  errorMessageSchema,
} from '../protocol/wire-error';
import { AgentPresence } from './agent-presence';
import type { ConnectionStatus, VoiceAgentClientEvents, VoiceAgentClientOptions } from './options';
import { TypedEmitter } from './typed-emitter';

/** Turns without a reply kept for `turn-lost` (typed messages sent in a burst, stop phrases). */
const MAX_UNANSWERED_TURNS = 8;

/**
 * The browser (or Node) end of a voice session over Socket.IO. Create it with
 * {@link connectVoiceAgent}. Mic audio given before the session is ready is queued (bounded);
 * after a dropped connection the client reconnects and resumes the same session when the
 * server still holds it.
 */
export class VoiceAgentClient extends TypedEmitter<VoiceAgentClientEvents> {
  readonly #socket: Socket;
  readonly #options: VoiceAgentClientOptions;
  readonly #sampleRate: number;
  readonly #maxQueuedSamples: number;
  #status: ConnectionStatus = 'connecting';
  #sessionId: string | undefined;
  #resumeToken: string | undefined;
  #wantsStarted: boolean;
  #seq = 0;
  #queue: Int16Array[] = [];
  #queuedSamples = 0;
  /** The user's turns since the agent's last speech ended: lost if a process dies now. */
  #unansweredTurns: { turnId: string; text: string }[] = [];
  /** The namespace to name in compact audio messages, while the server takes them. */
  #compactAudioNamespace: string | undefined;
  readonly #presence: AgentPresence;
  readonly #url: string;

  constructor(url: string, options: VoiceAgentClientOptions = {}) {
    super();
    this.#url = url;
    this.#options = options;
    this.#sampleRate = options.sampleRate ?? 16_000;
    this.#maxQueuedSamples = Math.round(((options.maxQueuedAudioMs ?? 2000) / 1000) * this.#sampleRate);
    this.#wantsStarted = options.autoStart ?? true;
    this.#presence = new AgentPresence(
      options.readyTimeoutMs ?? 5000,
      (message) => {
        // Retrying would not help: say so, loudly, and stop.
        this.#clientError(message, 'no_agent', 'config_invalid');
        this.close();
      },
      // Nothing answers at that address yet: say so, and let Socket.IO keep trying.
      (message) => this.#clientError(message, 'unreachable', 'provider_unavailable', true),
    );
    this.#socket = io(url, {
      transports: ['websocket'],
      reconnection: options.reconnection ?? true,
      reconnectionDelay: options.reconnectionDelayMs ?? 500,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 5000,
      ...options.socketOptions,
      auth: (cb) => void this.#handshakeAuth().then(cb),
    });
    this.#listen();
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The attached session, kept across resumed reconnections. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Opens the microphone lane (sent now if ready, else at the next `ready`). */
  start(): void {
    this.#wantsStarted = true;
    if (this.#status === 'ready') this.#sendStart();
  }

  /** Closes the microphone lane; audio given while stopped is discarded. */
  stop(): void {
    this.#wantsStarted = false;
    this.#clearQueue();
    if (this.#status === 'ready') this.#socket.emit('stop', {});
  }

  /** Sends one frame of mono Int16 mic audio at `sampleRate` (20 ms frames are typical). */
  sendAudio(samples: Int16Array): void {
    if (!this.#wantsStarted || this.#status === 'closed') return;
    if (this.#status !== 'ready') {
      this.#enqueue(samples.slice());
      return;
    }
    this.#sendFrame(samples);
  }

  /** A typed user message; the agent answers it like speech. Dropped when not ready. */
  sendText(text: string): void {
    this.#emitWhenReady('text', { text });
  }

  /** Stops the agent's current speech. */
  interrupt(): void {
    this.#emitWhenReady('interrupt', {});
  }

  /** Reports how much of a speech the player has played, ms. */
  playbackAck(ack: PlaybackAckMessage): void {
    this.#emitWhenReady('playback-ack', { speechId: ack.speechId, playedMs: ack.playedMs });
  }

  /** The player played the first sample of a speech. */
  playbackStarted(speechId: string): void {
    this.#emitWhenReady('playback-started', { speechId });
  }

  /** The player finished a speech. */
  playbackFinished(speechId: string): void {
    this.#emitWhenReady('playback-finished', { speechId });
  }

  /** Disconnects for good; the server closes the session at once. Removes every listener. */
  close(): void {
    if (this.#status === 'closed') return;
    this.#setStatus('closed');
    this.#presence.answered();
    this.#clearQueue();
    this.#socket.off();
    this.#socket.io.off();
    this.#socket.disconnect();
    this.removeAllListeners();
  }

  async #handshakeAuth(): Promise<Record<string, unknown>> {
    const auth = this.#options.auth;
    const appAuth = typeof auth === 'function' ? await auth() : (auth ?? {});
    return {
      ...appAuth,
      protocol: PROTOCOL_VERSION,
      ...(this.#resumeToken === undefined ? {} : { resumeToken: this.#resumeToken }),
    };
  }

  // Every socket listener is added here, once: Socket.IO keeps the same Socket object across
  // reconnections, so nothing is added again and nothing leaks.
  #listen(): void {
    const socket = this.#socket;
    const relay = <K extends keyof VoiceAgentClientEvents>(
      event: K,
      schema: z.ZodType<VoiceAgentClientEvents[K]>,
      note?: (payload: VoiceAgentClientEvents[K]) => void,
    ) =>
      socket.on(event as string, (payload: unknown) => {
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return this.#clientError(`server sent an invalid '${String(event)}'`);
        note?.(parsed.data);
        this.emit(event, parsed.data);
      });
    relay('state', stateMessageSchema);
    relay('transcript', transcriptMessageSchema);
    // What a checkpoint (written after each finished speech) does not hold yet.
    relay('user-turn', userTurnMessageSchema, ({ turnId, text }) => {
      this.#unansweredTurns.push({ turnId, text });
      if (this.#unansweredTurns.length > MAX_UNANSWERED_TURNS) this.#unansweredTurns.shift();
    });
    relay('speech-start', speechStartMessageSchema);
    relay('agent-text', agentTextMessageSchema);
    relay('audio-end', audioEndMessageSchema);
    relay('control', controlMessageSchema);
    relay('speech-end', speechEndMessageSchema, () => {
      this.#unansweredTurns = [];
    });
    relay('metrics', metricsMessageSchema);
    relay('error', errorMessageSchema);

    socket.on('connect', () => this.#presence.connected(namespaceOf(socket) ?? '/'));

    socket.on('ready', (payload: unknown) => {
      this.#presence.answered();
      const parsed = readyMessageSchema.safeParse(payload);
      if (!parsed.success) return this.#clientError("server sent an invalid 'ready'");
      const ready = parsed.data;
      if (!ready.resumed && this.#sessionId !== undefined && this.#sessionId !== ready.sessionId)
        this.emit('session-lost', { sessionId: this.#sessionId, reason: 'not resumed' });
      const lostTurns = ready.restored === 'checkpoint' ? this.#unansweredTurns : [];
      this.#unansweredTurns = [];
      this.#sessionId = ready.sessionId;
      this.#resumeToken = ready.resumeWindowMs > 0 ? ready.resumeToken : undefined;
      this.#compactAudioNamespace = ready.compactAudio ? namespaceOf(socket) : undefined;
      this.#setStatus('ready');
      if (this.#wantsStarted) this.#sendStart();
      this.#flushQueue();
      this.emit('ready', ready);
      for (const turn of lostTurns) this.emit('turn-lost', turn);
    });

    socket.on('agent-audio', (header: unknown, pcm: unknown, ack?: unknown) => {
      // Receipt ack first: it is the server's flow control, not a playback report.
      if (typeof ack === 'function') ack();
      const parsed = agentAudioHeaderSchema.safeParse(header);
      const bytes = bytesOf(pcm);
      if (!parsed.success || !bytes || bytes.byteLength % 2 !== 0)
        return this.#clientError("server sent an invalid 'agent-audio'");
      this.emit('agent-audio', { ...parsed.data, samples: int16FromBytes(bytes) });
    });

    socket.on('closed', (payload: unknown) => {
      const parsed = closedMessageSchema.safeParse(payload);
      this.#resumeToken = undefined;
      this.emit('closed', parsed.success ? parsed.data : { reason: 'closed' });
      this.close();
    });

    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      const refusal = connectRefusalSchema.safeParse(error.data);
      if (!refusal.success) {
        if (this.#presence.refusedNamespace(error, socket.active, namespaceOf(socket) ?? '/')) return;
        if (!this.#sessionId) this.#presence.failedToConnect(this.#url, error);
        // Network or server trouble: Socket.IO retries by itself.
        if (this.#status !== 'closed') this.#setStatus(this.#sessionId ? 'reconnecting' : 'connecting');
        return;
      }
      this.emit('refused', refusal.data);
      if (refusal.data.reason === 'resume_refused') {
        const lost = this.#sessionId;
        this.#resumeToken = undefined;
        this.#sessionId = undefined;
        this.#unansweredTurns = [];
        const { message, detail } = refusal.data;
        this.emit('session-lost', { sessionId: lost, reason: message, ...(detail ? { detail } : {}) });
        // A middleware refusal is final for this attempt; try again for a fresh session.
        if (this.#status !== 'closed') socket.connect();
        return;
      }
      this.close();
    });

    socket.on('disconnect', (reason) => {
      this.#presence.answered();
      if (this.#status === 'closed') return;
      if (reason === 'io client disconnect') return;
      // With `reconnection: false` the socket stays "active" but nothing will ever reconnect it.
      this.#setStatus(socket.active && socket.io.reconnection() ? 'reconnecting' : 'closed');
    });
  }

  #sendStart(): void {
    this.#socket.emit('start', { sampleRate: this.#sampleRate, channels: 1 });
  }

  #emitWhenReady(event: string, payload: object): void {
    if (this.#status !== 'ready') {
      this.#clientError(`'${event}' dropped: not connected to a session`);
      return;
    }
    this.#socket.emit(event, payload);
  }

  #enqueue(samples: Int16Array): void {
    this.#queue.push(samples);
    this.#queuedSamples += samples.length;
    while (this.#queuedSamples > this.#maxQueuedSamples && this.#queue.length > 0)
      this.#queuedSamples -= this.#queue.shift()!.length;
  }

  #flushQueue(): void {
    const queued = this.#queue;
    this.#clearQueue();
    if (!this.#wantsStarted) return;
    for (const samples of queued) this.#sendFrame(samples);
  }

  #sendFrame(samples: Int16Array): void {
    const namespace = this.#compactAudioNamespace;
    // One WebSocket message per frame where the server takes it; a binary event costs two.
    // Both go through the same Engine.IO write queue, so frames and events keep their order.
    if (namespace !== undefined)
      this.#socket.io.engine.write(encodeCompactAudio(namespace, samples, this.#seq++, this.#sampleRate));
    else this.#socket.emit('audio', encodeMicFrame(samples, this.#seq++, this.#sampleRate));
  }

  #clearQueue(): void {
    this.#queue = [];
    this.#queuedSamples = 0;
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    const previous = this.#status;
    this.#status = status;
    this.emit('status', { status, previous });
  }

  #clientError(
    message: string,
    reason: ErrorReason = 'invalid_message',
    code: ErrorMessage['code'] = 'protocol_invalid',
    retryable = false,
  ): void {
    const error: ErrorMessage = {
      code,
      reason,
      message,
      retryable,
      source: 'transport:socketio-client',
    };
    this.emit('error', error);
  }
}

/**
 * The namespace the socket joined, as Socket.IO spells it (`nsp` is private in its typings but
 * stable since v3); `undefined` if it is ever missing, and then audio goes as events.
 */
function namespaceOf(socket: Socket): string | undefined {
  const namespace = (socket as unknown as { nsp?: unknown }).nsp;
  return typeof namespace === 'string' ? namespace : undefined;
}

/**
 * Connects to a voice namespace (e.g. `https://example.com/voice`) and returns the client at once;
 * listen for `ready` before expecting agent events. Mic audio may be sent right away.
 *
 * @example
 * ```ts
 * const client = connectVoiceAgent('https://example.com/voice', { auth: { token } });
 * client.on('agent-audio', (chunk) => player.enqueue(chunk));
 * client.on('control', (control) => player.control(control));
 * mic.onFrame = (samples) => client.sendAudio(samples);
 * ```
 */
export function connectVoiceAgent(url: string, options: VoiceAgentClientOptions = {}): VoiceAgentClient {
  return new VoiceAgentClient(url, options);
}
