import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server, type Socket } from 'node:net';
// With its extension: the transport's README has apps copy this file and its sibling, and an app
// on `nodenext` resolution needs it.
import type { BalancerMessage, HandedConnection } from './connection-receiver.js';

/** The most a request head may take before the primary gives up on it (Node's own default is 16 KiB). */
const MAX_HEAD_BYTES = 16 * 1024;
/** A connection that has not sent its request head by then is closed (no worker ever saw it). */
const HEAD_TIMEOUT_MS = 10_000;
const HEAD_END = Buffer.from('\r\n\r\n');
// Engine.IO session ids are 20 URL-safe characters; only the request line is searched.
const SID = /[?&]sid=([\w-]{20})(?:[&\s#]|$)/;

/**
 * Routes a voice server's connections over the workers of Node's `cluster` module — the
 * primary's side; each worker calls {@link receiveConnections}. The primary owns the listening
 * socket, reads each new connection's first request head, and hands the connection itself to
 * one worker (`worker.send` with the socket), which serves it from there on. A request that
 * names an Engine.IO session (`sid=`, the long-polling transport) goes to the worker holding
 * that session; any other to the admitted worker with the fewest Engine.IO connections.
 *
 * Not needed behind a load balancer of your own (nginx, a cloud balancer): give that one sticky
 * sessions instead. The primary cannot end TLS (it hands raw TCP over): put TLS in front of it.
 *
 * Why not `@socket.io/sticky`: it reads the connection in flowing mode and hands the socket over
 * while the primary's copy of it is still reading. Until the worker's acknowledgement reaches the
 * primary and it closes its copy, whatever the client sends next (after a WebSocket upgrade, the
 * client's first frame: its Socket.IO `CONNECT`) can be read by the primary and dropped, so
 * the connection opens and is never answered — about one new connection in 15–300 on a loaded
 * 2-core machine. Here the primary reads with a zero high-water mark, so Node stops reading the
 * socket after every chunk: by the time it is handed over, nothing but the worker reads it.
 *
 * Only workers that said they are ready are given new connections (a worker still loading its
 * providers, or one being retired, would leave them unanswered); call {@link admit} and
 * {@link retire}. Workers report their Engine.IO connections themselves ({@link receiveConnections}).
 * It listens to the cluster's `message` and `exit` events until {@link close}; messages of its
 * own have a `type` starting with `vox:` — tell yours apart by another `type`.
 *
 * @example
 * ```ts
 * import cluster from 'node:cluster';
 * import { createServer } from 'node:http';
 * import { attachVoiceAgent } from '@voxduplex/transport-socketio';
 * import { ConnectionBalancer, receiveConnections } from '@voxduplex/transport-socketio/cluster';
 * import { Server } from 'socket.io';
 *
 * if (cluster.isPrimary) {
 *   const balancer = new ConnectionBalancer();
 *   cluster.on('message', (worker, message) => {
 *     if (message === 'ready') balancer.admit(worker);
 *   });
 *   balancer.server.listen(3000);
 *   for (let i = 0; i < 2; i++) cluster.fork();
 * } else {
 *   const io = new Server(createServer()); // never listens: the primary hands it connections
 *   receiveConnections(io);
 *   attachVoiceAgent(io.of('/voice'), { authenticate, createSession, sessionStore });
 *   process.send?.('ready');
 * }
 * ```
 */
export class ConnectionBalancer {
  /** The listening server; `listen()` it. Reading is the balancer's: add no 'connection' listener. */
  readonly server: Server;
  readonly #admitted = new Set<number>();
  /** Engine.IO connections per worker id, as the workers report them. */
  readonly #engineConnections = new Map<number, number>();
  /** Engine.IO session id → the worker holding it. */
  readonly #sessionWorkers = new Map<string, number>();
  readonly #onMessage = (worker: Worker, message: BalancerMessage | { type?: unknown }) =>
    this.#workerReported(worker, message);
  readonly #onExit = (worker: Worker) => this.#forget(worker.id);

  constructor() {
    // `pauseOnConnect`: nothing is read before the balancer asks. `highWaterMark: 0`: Node stops
    // reading after each chunk, so the primary never reads past what it needs.
    this.server = createServer({ pauseOnConnect: true, highWaterMark: 0 }, (socket) => this.#route(socket));
    cluster.on('message', this.#onMessage);
    cluster.on('exit', this.#onExit);
  }

  /** The worker is ready: it may be given new connections. */
  admit(worker: Worker): void {
    this.#admitted.add(worker.id);
    if (!this.#engineConnections.has(worker.id)) this.#engineConnections.set(worker.id, 0);
  }

  /** No new connection for this worker (it is on its way out); its Engine.IO sessions still reach it. */
  retire(worker: Worker): void {
    this.#admitted.delete(worker.id);
  }

  /** Engine.IO connections each worker reports, by worker id (what the balancing counts). */
  engineConnections(): ReadonlyMap<number, number> {
    return this.#engineConnections;
  }

  /** Stops listening and detaches from the cluster's events. */
  close(): void {
    this.server.close();
    cluster.off('message', this.#onMessage);
    cluster.off('exit', this.#onExit);
  }

  async #route(socket: Socket): Promise<void> {
    // Until the hand-over only this process can see the socket fail.
    socket.on('error', () => socket.destroy());
    socket.setTimeout(HEAD_TIMEOUT_MS, () => socket.destroy());
    const head = await readHead(socket);
    if (head === undefined) return;
    if (head === 'too-large') return refuse(socket, '431 Request Header Fields Too Large');
    const worker = this.#pick(head);
    if (!worker) return refuse(socket, '503 Service Unavailable');
    const message: HandedConnection = { type: 'vox:connection', head: head.toString('base64') };
    // Sending the socket closes the primary's copy once the worker acknowledges it; an error
    // (the worker died meanwhile) leaves the client to reconnect.
    worker.send(message, socket, (error) => {
      if (error) socket.destroy();
    });
  }

  #pick(head: Buffer): Worker | undefined {
    const requestLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
    const sid = SID.exec(requestLine)?.[1];
    const holder = sid === undefined ? undefined : this.#sessionWorkers.get(sid);
    if (holder !== undefined && cluster.workers?.[holder]) return cluster.workers[holder];
    let fewest: Worker | undefined;
    for (const id of this.#admitted) {
      const worker = cluster.workers?.[id];
      if (!worker) continue;
      if (!fewest || this.#count(id) < this.#count(fewest.id)) fewest = worker;
    }
    return fewest;
  }

  #count(workerId: number): number {
    return this.#engineConnections.get(workerId) ?? 0;
  }

  #workerReported(worker: Worker, message: BalancerMessage | { type?: unknown }): void {
    if (message.type === 'vox:engine-open' && 'sid' in message) {
      this.#sessionWorkers.set(message.sid, worker.id);
      this.#engineConnections.set(worker.id, this.#count(worker.id) + 1);
    } else if (message.type === 'vox:engine-close' && 'sid' in message) {
      this.#sessionWorkers.delete(message.sid);
      this.#engineConnections.set(worker.id, Math.max(0, this.#count(worker.id) - 1));
    }
  }

  #forget(workerId: number): void {
    this.#admitted.delete(workerId);
    this.#engineConnections.delete(workerId);
    for (const [sid, holder] of this.#sessionWorkers)
      if (holder === workerId) this.#sessionWorkers.delete(sid);
  }
}

/**
 * Reads until the end of the first request head (`\r\n\r\n`), one chunk at a time. Resolves with
 * every byte read (the head and whatever body came with it), `'too-large'`, or `undefined` when
 * the client went away first.
 */
function readHead(socket: Socket): Promise<Buffer | 'too-large' | undefined> {
  return new Promise((resolve) => {
    let head: Buffer = Buffer.alloc(0);
    const finish = (result: Buffer | 'too-large' | undefined) => {
      socket.off('readable', onReadable);
      socket.off('close', onClose);
      resolve(result);
    };
    const onClose = () => finish(undefined);
    const onReadable = () => {
      // With a zero high-water mark Node stopped reading after this chunk, and one read()
      // takes it without starting again (a second one, on an empty buffer, would).
      const chunk = socket.read() as Buffer | null;
      if (chunk !== null) head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.includes(HEAD_END)) return finish(head);
      if (head.length > MAX_HEAD_BYTES) return finish('too-large');
      // A head split over several packets: ask for one more chunk.
      socket.read(0);
    };
    socket.on('readable', onReadable);
    socket.once('close', onClose);
  });
}

function refuse(socket: Socket, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
