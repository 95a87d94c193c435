import { type ErrorMessage, errorMessageSchema } from '@voxduplex/transport-socketio';
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

/**
 * A bare `socket.io-client` socket (not the typed client), for sending what a well-behaved
 * client never would. No reconnection, its own connection, WebSocket only.
 */
export function rawClient(
  url: string,
  auth: Record<string, unknown> = { token: 'good' },
  options: Partial<ManagerOptions & SocketOptions> = {},
): Socket {
  return connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth, ...options });
}

/** Every `error` event a raw socket received, and the ones that broke the wire shape. */
export interface ErrorLog {
  readonly errors: ErrorMessage[];
  /** Payloads of `error` events that do not parse with `errorMessageSchema`. */
  readonly malformed: unknown[];
}

/** Collects the socket's `error` events, checking each against the protocol's schema. */
export function collectErrors(socket: Socket): ErrorLog {
  const log: ErrorLog = { errors: [], malformed: [] };
  socket.on('error' as never, (payload: unknown) => {
    const parsed = errorMessageSchema.safeParse(payload);
    if (parsed.success) log.errors.push(parsed.data);
    else log.malformed.push(payload);
  });
  return log;
}

/** Resolves with the next `event` payload (all arguments when there are several). */
export function nextEvent<T = unknown>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: unknown[]) => {
      clearTimeout(timer);
      resolve((args.length > 1 ? args : args[0]) as T);
    };
    socket.once(event, listener);
  });
}

/** Polls until `condition` holds; the timeout only bounds the wait, it is not a timing claim. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What a refused handshake's `connect_error` carries. */
export type ConnectError = Error & { data?: { reason?: string; message?: string } };

/** Resolves with the socket's fate: connected, or refused with its `connect_error`. */
export function connectOutcome(socket: Socket, timeoutMs = 5000): Promise<'connected' | ConnectError> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connect outcome within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve('connected');
    });
    socket.once('connect_error', (error: ConnectError) => {
      clearTimeout(timer);
      resolve(error);
    });
  });
}
