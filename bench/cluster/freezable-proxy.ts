// A loopback TCP proxy between one server process and Redis, for the cluster bench: frozen, it
// stops passing on what the server writes (Redis never sees it); cut, it drops that for good — a
// server whose writes were still on their way when it died.
import { createConnection, createServer, type Socket } from 'node:net';

export interface FreezableProxy {
  /** `redis://127.0.0.1:<port>`: give it to the server instead of Redis's own URL. */
  readonly url: string;
  /** From now on, what the server writes stays in the proxy (answers still flow back). */
  freeze(): void;
  /** Drops every connection and what it held, and stops listening. */
  cut(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (port 0) in front of the Redis at `redisUrl`. */
export async function startFreezableProxy(redisUrl: string): Promise<FreezableProxy> {
  const { hostname, port } = new URL(redisUrl);
  const links: { fromServer: Socket; toRedis: Socket }[] = [];
  const server = createServer((fromServer) => {
    const toRedis = createConnection({ host: hostname, port: Number(port), noDelay: true });
    for (const [socket, other] of [
      [fromServer, toRedis],
      [toRedis, fromServer],
    ] as const) {
      socket.on('error', () => other.destroy());
      socket.on('close', () => other.destroy());
    }
    fromServer.pipe(toRedis);
    toRedis.pipe(fromServer);
    links.push({ fromServer, toRedis });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${proxyPort}`,
    freeze() {
      for (const { fromServer, toRedis } of links) {
        fromServer.unpipe(toRedis);
        fromServer.pause();
      }
    },
    async cut() {
      for (const { fromServer, toRedis } of links) {
        fromServer.destroy();
        toRedis.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
