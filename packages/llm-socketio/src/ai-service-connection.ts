import { ConfigError, ProtocolError, ProviderUnavailableError, type VoxError } from '@voxduplex/core';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { type AiServiceConnectionOptions, aiServiceConnectionOptionsSchema } from './connection-options';
import { serviceErrorToVoxError } from './errors';
import {
  AI_SERVICE_EVENTS,
  type ChatRequestPayload,
  chatDoneSchema,
  chatErrorSchema,
  chatTokenSchema,
  chatToolCallSchema,
  type ServiceReply,
} from './protocol';

/** Receives what the service sends for one request. After `onFailure` or a `done`/`error` reply, nothing more. */
export interface AiServiceRequestHandlers {
  onReply(reply: ServiceReply): void;
  onFailure(error: VoxError): void;
}

interface PendingRequest {
  readonly payload: ChatRequestPayload;
  readonly handlers: AiServiceRequestHandlers;
  isSent: boolean;
}

const SOURCE = 'llm:socketio';

/**
 * One Socket.IO connection to the AI service, shared by every session of the process:
 * requests are multiplexed by `requestId`, so a gateway with 200 calls keeps one socket (one
 * handshake, one reconnect loop, one place to authenticate) instead of 200.
 *
 * Connects on the first request and then stays connected, reconnecting with backoff after any
 * drop, including a service that disconnects us while it restarts. A request in flight when
 * the connection drops fails with a retryable `ProviderUnavailableError` (the service lost it
 * too); a request made while disconnected waits for the reconnection, or fails as soon as a
 * connection attempt fails. Requests are never buffered across a failure, so the service never
 * receives a request its caller already gave up on. The caller owns the connection: `close()` it
 * on shutdown.
 *
 * @example
 * ```ts
 * const aiService = new AiServiceConnection({ url: process.env.AI_CHAT_BASE_URL });
 * const llm = new SocketIoLlm({ connection: aiService, sessionId }); // one per session
 * ```
 */
export class AiServiceConnection {
  readonly url: string;
  readonly #socket: Socket;
  readonly #requests = new Map<string, PendingRequest>();
  #isClosed = false;

  /** @throws ConfigError when options are invalid or no URL is given and `AI_CHAT_BASE_URL` is unset. */
  constructor(options: AiServiceConnectionOptions = {}) {
    const parsed = aiServiceConnectionOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        'Invalid AI service connection options',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    const url = parsed.data.url ?? globalThis.process?.env?.AI_CHAT_BASE_URL;
    if (!url) throw new ConfigError('No AI service URL', ['set the url option or AI_CHAT_BASE_URL']);
    this.url = url;
    this.#socket = io(url, {
      autoConnect: false,
      forceNew: true,
      // An internal service: skip the long-polling round trips before the WebSocket upgrade.
      transports: ['websocket'],
      reconnectionDelay: parsed.data.reconnectionDelayMs ?? 500,
      reconnectionDelayMax: parsed.data.reconnectionDelayMaxMs ?? 5_000,
      timeout: parsed.data.connectTimeoutMs ?? 5_000,
      ...(parsed.data.path ? { path: parsed.data.path } : {}),
      ...(parsed.data.auth ? { auth: { ...parsed.data.auth } } : {}),
      ...(parsed.data.headers ? { extraHeaders: { ...parsed.data.headers } } : {}),
    });
    this.#socket.on('connect', () => this.#flush());
    this.#socket.on('disconnect', (reason) => {
      this.#failSent(reason);
      // A service that shuts down gracefully disconnects us on purpose, and Socket.IO does not
      // reconnect after that by itself. Reconnect anyway (with the usual backoff) so the next
      // turn finds the connection up when the service is back.
      if (reason === 'io server disconnect' && !this.#isClosed) this.#socket.connect();
    });
    this.#socket.on('connect_error', (error) => this.#failWaiting(error));
    this.#listen(AI_SERVICE_EVENTS.token, 'token', chatTokenSchema);
    this.#listen(AI_SERVICE_EVENTS.toolCall, 'tool-call', chatToolCallSchema);
    this.#listen(AI_SERVICE_EVENTS.done, 'done', chatDoneSchema);
    this.#listen(AI_SERVICE_EVENTS.error, 'error', chatErrorSchema);
  }

  /** True while the socket is connected. */
  get isConnected(): boolean {
    return this.#socket.connected;
  }

  /** Requests sent or waiting to be sent that have not ended yet. */
  get pendingRequests(): number {
    return this.#requests.size;
  }

  /**
   * Sends one request (now, or on connection). Returns `cancel`: it forgets the request and,
   * if the service already has it, emits `chat:abort`. Calling it after the end is harmless.
   */
  send(payload: ChatRequestPayload, handlers: AiServiceRequestHandlers): () => void {
    if (this.#isClosed) {
      handlers.onFailure(
        new ProviderUnavailableError(`${SOURCE}: connection closed`, { source: SOURCE, retryable: false }),
      );
      return () => {};
    }
    const request: PendingRequest = { payload, handlers, isSent: false };
    this.#requests.set(payload.requestId, request);
    if (this.#socket.connected) this.#emitRequest(request);
    else if (!this.#socket.active) this.#socket.connect();
    return () => this.#cancel(request);
  }

  /** Disconnects for good; requests still open fail with a non-retryable `ProviderUnavailableError`. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const open = [...this.#requests.values()];
    this.#requests.clear();
    this.#socket.disconnect();
    this.#socket.removeAllListeners();
    for (const request of open) {
      request.handlers.onFailure(
        new ProviderUnavailableError(`${SOURCE}: connection closed`, { source: SOURCE, retryable: false }),
      );
    }
  }

  #emitRequest(request: PendingRequest): void {
    request.isSent = true;
    this.#socket.emit(AI_SERVICE_EVENTS.request, request.payload);
  }

  #cancel(request: PendingRequest): void {
    const { requestId } = request.payload;
    if (this.#requests.get(requestId) !== request) return;
    this.#requests.delete(requestId);
    if (request.isSent && this.#socket.connected) this.#socket.emit(AI_SERVICE_EVENTS.abort, { requestId });
  }

  #flush(): void {
    for (const request of this.#requests.values()) if (!request.isSent) this.#emitRequest(request);
  }

  /** The connection dropped: the service lost every request it had, so those fail now. */
  #failSent(reason: string): void {
    const lost = [...this.#requests.values()].filter((request) => request.isSent);
    for (const request of lost) this.#requests.delete(request.payload.requestId);
    for (const request of lost) {
      request.handlers.onFailure(
        new ProviderUnavailableError(`${SOURCE}: connection to the AI service lost (${reason})`, {
          source: SOURCE,
          retryable: true,
        }),
      );
    }
  }

  /** A connection attempt failed: requests waiting for it fail rather than hang. */
  #failWaiting(error: Error & { data?: unknown }): void {
    const waiting = [...this.#requests.values()];
    this.#requests.clear();
    // `active` false: the service refused us in a middleware; the client will not retry by itself.
    const isRefused = !this.#socket.active;
    const data = (error.data ?? {}) as { code?: unknown };
    const failure = isRefused
      ? serviceErrorToVoxError(
          {
            code: typeof data.code === 'string' ? data.code : 'provider_unavailable',
            message: error.message,
            retryable: false,
          },
          SOURCE,
        )
      : new ProviderUnavailableError(`${SOURCE}: cannot connect to the AI service: ${error.message}`, {
          source: SOURCE,
          cause: error,
          retryable: true,
        });
    for (const request of waiting) request.handlers.onFailure(failure);
  }

  #listen<Schema extends z.ZodType<{ requestId: string }>>(
    event: string,
    type: ServiceReply['type'],
    schema: Schema,
  ): void {
    this.#socket.on(event, (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const requestId = (payload as { requestId?: unknown } | null)?.requestId;
        const request = typeof requestId === 'string' ? this.#requests.get(requestId) : undefined;
        // A message for no request we know is dropped; one for a live request ends it.
        if (!request) return;
        this.#cancel(request);
        request.handlers.onFailure(
          new ProtocolError(
            `${SOURCE}: invalid '${event}' message: ${parsed.error.issues[0]?.message ?? ''}`,
            {
              source: SOURCE,
            },
          ),
        );
        return;
      }
      const request = this.#requests.get(parsed.data.requestId);
      if (!request) return; // late events of a request we aborted
      if (type === 'done' || type === 'error') this.#requests.delete(parsed.data.requestId);
      request.handlers.onReply({ type, ...parsed.data } as ServiceReply);
    });
  }
}
