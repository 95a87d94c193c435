import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy in front of one client, so a test can cut its network like a lost Wi-Fi. */
export interface DropProxy {
  /** `http://127.0.0.1:<port>`: where the client connects instead of `target`. */
  readonly url: string;
  /** Cuts every connection through the proxy at once (the client sees a transport close). */
  drop(): void;
  /** Cuts everything and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (port 0) forwarding to `target` (`http://host:port`). */
export async function startDropProxy(target: string): Promise<DropProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true }, (inbound) => {
    const outbound = createConnection({ host: hostname, port: Number(port), noDelay: true });
    const pair = [
      [inbound, outbound],
      [outbound, inbound],
    ] as const;
    for (const [socket, other] of pair) {
      open.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        open.delete(socket);
        other.destroy();
      });
    }
    // Nothing is read before the way on is open: the request then goes on as the client wrote
    // it, in one piece (the primary routes a connection by its first request).
    outbound.once('connect', () => {
      for (const [socket, other] of pair) socket.pipe(other);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const drop = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    drop,
    close: async () => {
      drop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
