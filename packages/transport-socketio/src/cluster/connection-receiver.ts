import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Server } from 'socket.io';

/** The primary hands a worker a connection: the socket rides along, `head` is what it read of it (base64). */
export interface HandedConnection {
  readonly type: 'vox:connection';
  readonly head: string;
}

/** What a worker tells the primary's balancer about its Engine.IO connections. */
export type BalancerMessage =
  | { readonly type: 'vox:engine-open'; readonly sid: string }
  | { readonly type: 'vox:engine-close'; readonly sid: string };

/** The part of an Engine.IO connection the receiver reads. */
interface EngineConnection {
  readonly id: string;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The worker's side of {@link ConnectionBalancer}: serves the connections the primary hands this
 * process with `io`'s HTTP server (which never listens itself), and reports each Engine.IO
 * connection's open and close, so the primary routes a long-polling session's later requests
 * here and counts this worker's connections. Call it before telling the primary the worker is
 * ready. Responses on that server close their connection (`Connection: close`): the primary
 * routes a TCP connection by its first request only. Returns a function that stops receiving.
 */
export function receiveConnections(io: Server): () => void {
  const http = io.httpServer;
  // The primary routes a TCP connection by its first request only; a kept-alive connection's
  // next request could belong to a session another worker holds.
  const closeAfterResponse = (_request: IncomingMessage, response: ServerResponse) =>
    response.setHeader('Connection', 'close');
  http.prependListener('request', closeAfterResponse);

  const onMessage = (message: HandedConnection | { type?: unknown }, socket: Socket | undefined) => {
    if (message.type !== 'vox:connection' || !('head' in message)) return;
    // No socket: the client went away while it was being handed over.
    if (!socket) return;
    http.emit('connection', socket);
    // The bytes the primary read come first; the rest the socket reads itself.
    socket.unshift(Buffer.from(message.head, 'base64'));
  };
  process.on('message', onMessage);

  const report = (message: BalancerMessage) => {
    // A primary that is gone routes nothing any more: nothing to tell.
    if (process.connected) process.send?.(message, undefined, {}, () => {});
  };
  const onEngineConnection = (engineSocket: EngineConnection) => {
    report({ type: 'vox:engine-open', sid: engineSocket.id });
    engineSocket.once('close', () => report({ type: 'vox:engine-close', sid: engineSocket.id }));
  };
  io.engine.on('connection', onEngineConnection);

  return () => {
    http.off('request', closeAfterResponse);
    process.off('message', onMessage);
    io.engine.off('connection', onEngineConnection);
  };
}
