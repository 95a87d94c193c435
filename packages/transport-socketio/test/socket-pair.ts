import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';

/** One event as a client received it: its name and arguments (an ack function last, if asked). */
export interface Received {
  readonly event: string;
  readonly args: unknown[];
}

/**
 * A real Socket.IO connection on 127.0.0.1, port 0: the server's end, to hand to the code under
 * test, and a bare client that records every event it receives, in order.
 */
export async function connectSocketPair() {
  const http = createServer();
  const io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const accepted = new Promise<ServerSocket>((resolve) => io.once('connection', resolve));
  const client: ClientSocket = connect(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const received: Received[] = [];
  client.onAny((event: string, ...args: unknown[]) => received.push({ event, args }));
  const server = await accepted;
  return {
    server,
    client,
    received,
    /** Names of the events received so far. */
    events: () => received.map((r) => r.event),
    /** Resolves once the client has received `count` events in all (the bound is not a verdict). */
    async untilReceived(count: number, timeoutMs = 5000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} events arrived`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return received;
    },
    async close() {
      client.disconnect();
      await io.close();
    },
  };
}

export type SocketPair = Awaited<ReturnType<typeof connectSocketPair>>;
