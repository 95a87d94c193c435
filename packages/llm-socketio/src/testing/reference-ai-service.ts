import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokenize } from '@voxduplex/core/testing';
import { Server, type Socket } from 'socket.io';
import {
  AI_SERVICE_EVENTS,
  type ChatErrorPayload,
  type ChatRequestPayload,
  chatAbortSchema,
  chatRequestSchema,
} from '../protocol';

/** One step of a scripted reply. */
export type ReferenceStep =
  | { readonly text: string }
  | { readonly toolCall: { readonly id?: string; readonly name: string; readonly arguments: unknown } }
  | { readonly error: ChatErrorPayload['error'] }
  | { readonly stallMs: number }
  /** Cuts the client's connection at the transport (the client reconnects by itself). */
  | { readonly dropConnection: true };

/** A reply: text (sent word by word), or steps. */
export type ReferenceReply = string | readonly ReferenceStep[];

/** Options of {@link startReferenceAiService}. */
export interface ReferenceAiServiceOptions {
  /** What to answer; `call` counts requests from 0. Default: `You said: <last user message>`. */
  readonly reply?: ReferenceReply | ((request: ChatRequestPayload, call: number) => ReferenceReply);
  /** Pause between events of a reply, ms. Default 0. */
  readonly tokenIntervalMs?: number;
  /** Port on 127.0.0.1; default 0 (any free port). Pass a closed service's port to restart it. */
  readonly port?: number;
  /** When set, the handshake must carry `auth: { token }` or is refused with code `provider_auth`. */
  readonly authToken?: string;
}

/** A running reference service. */
export interface ReferenceAiService {
  /** `http://127.0.0.1:<port>`: pass it as `url` (or `AI_CHAT_BASE_URL`). */
  readonly url: string;
  readonly port: number;
  /** Every valid request received, in order. */
  readonly requests: readonly ChatRequestPayload[];
  /** Request ids the client aborted while they were being answered. */
  readonly aborts: readonly string[];
  /** Sockets connected now. */
  readonly connections: number;
  /** Replies being generated now (their timers are live). */
  readonly activeRequests: number;
  /** Cuts every client connection at the transport, as a network failure would. */
  dropConnections(): void;
  /** Stops generating, disconnects everyone and closes the port. */
  close(): Promise<void>;
}

function defaultReply(request: ChatRequestPayload): string {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  return `You said: ${lastUser?.content ?? ''}`;
}

/**
 * A minimal AI service that fulfils the `chat:*` event contract on 127.0.0.1: it validates each
 * request with {@link chatRequestSchema}, streams a scripted reply one token per event, stops
 * on `chat:abort`, and drops a socket's replies when the socket goes away. Use it in tests, or
 * as the starting point of a real service.
 *
 * @example
 * ```ts
 * const service = await startReferenceAiService({ reply: 'Hello there.' });
 * const connection = new AiServiceConnection({ url: service.url });
 * // … connection.close(); await service.close();
 * ```
 */
export async function startReferenceAiService(
  options: ReferenceAiServiceOptions = {},
): Promise<ReferenceAiService> {
  const requests: ChatRequestPayload[] = [];
  const aborts: string[] = [];
  const running = new Map<string, AbortController>();
  let isClosed = false;
  const httpServer = createServer();
  const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });

  if (options.authToken !== undefined) {
    io.use((socket, next) => {
      if (socket.handshake.auth?.token === options.authToken) return next();
      const refusal = new Error('unauthorized') as Error & { data: unknown };
      refusal.data = { code: 'provider_auth' };
      next(refusal);
    });
  }

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  const answer = async (socket: Socket, request: ChatRequestPayload, call: number) => {
    const controller = new AbortController();
    const key = `${socket.id}:${request.requestId}`;
    running.set(key, controller);
    const { signal } = controller;
    const requestId = request.requestId;
    try {
      const reply = typeof options.reply === 'function' ? options.reply(request, call) : options.reply;
      const script = reply ?? defaultReply(request);
      const steps: readonly ReferenceStep[] = typeof script === 'string' ? [{ text: script }] : script;
      const gapMs = options.tokenIntervalMs ?? 0;
      for (const step of steps) {
        if (signal.aborted) return;
        if ('stallMs' in step) await sleep(step.stallMs, signal);
        else if ('dropConnection' in step) {
          socket.conn.close();
          return;
        } else if ('error' in step) {
          socket.emit(AI_SERVICE_EVENTS.error, { requestId, error: step.error });
          return;
        } else if ('toolCall' in step) {
          const { id, name, arguments: args } = step.toolCall;
          socket.emit(AI_SERVICE_EVENTS.toolCall, {
            requestId,
            call: {
              id: id ?? `call_${call}_${name}`,
              name,
              arguments: typeof args === 'string' ? args : JSON.stringify(args),
            },
          });
          await sleep(gapMs, signal);
        } else {
          for (const text of tokenize(step.text)) {
            if (signal.aborted) return;
            socket.emit(AI_SERVICE_EVENTS.token, { requestId, text });
            await sleep(gapMs, signal);
          }
        }
      }
      if (!signal.aborted) socket.emit(AI_SERVICE_EVENTS.done, { requestId });
    } finally {
      running.delete(key);
    }
  };

  io.on('connection', (socket) => {
    socket.on(AI_SERVICE_EVENTS.request, (payload: unknown) => {
      const parsed = chatRequestSchema.safeParse(payload);
      if (!parsed.success) {
        const requestId = (payload as { requestId?: unknown } | null)?.requestId;
        if (typeof requestId === 'string' && requestId !== '') {
          socket.emit(AI_SERVICE_EVENTS.error, {
            requestId,
            error: {
              code: 'protocol_invalid',
              message: parsed.error.issues[0]?.message ?? 'invalid request',
            },
          });
        }
        return;
      }
      const call = requests.length;
      requests.push(parsed.data);
      void answer(socket, parsed.data, call);
    });
    socket.on(AI_SERVICE_EVENTS.abort, (payload: unknown) => {
      const parsed = chatAbortSchema.safeParse(payload);
      if (!parsed.success) return;
      const controller = running.get(`${socket.id}:${parsed.data.requestId}`);
      if (!controller) return;
      aborts.push(parsed.data.requestId);
      controller.abort();
    });
    socket.on('disconnect', () => {
      // Nobody is listening any more: stop every reply of this socket.
      for (const [key, controller] of running) if (key.startsWith(`${socket.id}:`)) controller.abort();
    });
  });

  httpServer.listen(options.port ?? 0, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    aborts,
    get connections() {
      return io.of('/').sockets.size;
    },
    get activeRequests() {
      return running.size;
    },
    dropConnections: () => {
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
    },
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      for (const controller of running.values()) controller.abort();
      io.disconnectSockets(true);
      await io.close();
    },
  };
}
