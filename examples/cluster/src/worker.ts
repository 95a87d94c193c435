import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createAdapter } from '@socket.io/redis-adapter';
import { RedisSessionStore } from '@voxduplex/session-store-redis';
import { attachVoiceAgent, voiceServerOptions } from '@voxduplex/transport-socketio';
import { receiveConnections } from '@voxduplex/transport-socketio/cluster';
import express from 'express';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { ClusterConfig } from './cluster-config';
import {
  answerWorkerReports,
  type ClusterEvents,
  gatherClusterHealth,
  type VoiceSocketData,
  type WorkerReport,
} from './cluster-health';
import { createVoiceProviders } from './voice-providers';

/** What a worker tells the primary over the cluster IPC channel. */
export type WorkerMessage = { readonly type: 'vox:worker-ready'; readonly providers: string };

/** What the primary tells a worker: hand your sessions over and exit (a rolling restart). */
export type PrimaryMessage = { readonly type: 'vox:hand-off' };

/**
 * One worker: its own providers, Socket.IO server and sessions. It opens no port: the primary
 * hands it connections ({@link receiveConnections}). The Redis adapter joins its Socket.IO server to
 * the other workers' for broadcasts, rooms, `fetchSockets()` and server-side events. Sessions
 * run in this process and are saved to Redis (a {@link RedisSessionStore}) at each finished turn
 * and each drop, so a client resumes on whichever worker it reaches next, and the clients of a
 * worker that dies resume on the others.
 */
export async function runWorker(config: ClusterConfig): Promise<void> {
  const providers = await createVoiceProviders(config);
  let hasConnected = false;
  const publisher = createClient({
    url: config.redisUrl,
    // At start-up an unreachable Redis is an error to report; later, a blip to ride out.
    socket: { reconnectStrategy: (retries, cause) => (hasConnected ? Math.min(100 * retries, 2000) : cause) },
  });
  const subscriber = publisher.duplicate();
  // Without a listener a Redis hiccup would crash the worker; the client reconnects by itself.
  for (const client of [publisher, subscriber])
    client.on('error', (error: Error) => console.error(`worker ${process.pid}: redis: ${error.message}`));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  hasConnected = true;
  // Its own connection: a Redis outage fails its calls at once instead of queueing them.
  const sessionStore = new RedisSessionStore({ url: config.redisUrl });

  const app = express();
  const http = createServer(app);
  const io = new Server<never, never, ClusterEvents, VoiceSocketData>(http, {
    ...voiceServerOptions(),
    adapter: createAdapter(publisher, subscriber, { requestsTimeout: 2000 }),
  });
  const stopReceiving = receiveConnections(io);

  const voice = io.of('/voice');
  voice.use((socket, next) => {
    socket.data.workerPid = process.pid;
    next();
  });
  const agent = attachVoiceAgent(voice, {
    // An open demo: anyone who can reach the page may talk. Put real authentication here.
    authenticate: ({ auth }) => ({ id: demoIdentity(config, auth) }),
    // `restored`: the client's session lived on another worker; it carries on here.
    createSession: ({ socketId, restored }) => providers.createSession(socketId, restored),
    sessionStore,
    resumeWindowMs: config.resumeWindowMs,
    ...(config.snapshotKey ? { snapshotKey: config.snapshotKey } : {}),
  });
  const report = (): WorkerReport => ({
    pid: process.pid,
    providers: providers.description,
    stats: agent.stats(),
    sessionIds: agent.sessions.ids(),
    openProviderStreams: providers.openStreams() ?? null,
    sessionStoreReady: sessionStore.isReady,
    engineConnections: io.engine.clientsCount,
  });
  answerWorkerReports(io, report);
  app.get('/health', async (_request, response) => {
    response.json(await gatherClusterHealth(io, voice, report));
  });
  if (providers.staticDir && existsSync(join(providers.staticDir, 'index.html')))
    app.use(express.static(providers.staticDir));

  let isStopping = false;
  /** `handOff`: the clients resume on the other workers (a rolling restart); else they are told `closed`. */
  const stop = async (handOff = false) => {
    if (isStopping) return;
    isStopping = true;
    if (handOff) await agent.handOff();
    else agent.close('server stopping');
    // The HTTP server never listened (the primary owns the port), so only the sockets close here.
    await new Promise<void>((done) => io.close(() => done()));
    stopReceiving();
    await Promise.allSettled([
      publisher.close(),
      subscriber.close(),
      sessionStore.close(),
      providers.close(),
    ]);
    process.exit(0);
  };
  process.once('SIGTERM', () => stop());
  process.once('SIGINT', () => stop());
  // The primary is gone: nobody hands this worker connections any more.
  process.once('disconnect', () => stop());
  process.on('message', (message: PrimaryMessage | { type?: unknown }) => {
    if (message.type === 'vox:hand-off') void stop(true);
  });
  process.send?.({ type: 'vox:worker-ready', providers: providers.description } satisfies WorkerMessage);
}

/**
 * Who the demo says a client is: `anonymous`, or — with `VOX_DEMO_IDENTITY_FROM_AUTH=1`, so a
 * test can show one user's resume token refused to another — whatever `auth.user` claims.
 */
function demoIdentity(config: ClusterConfig, auth: Readonly<Record<string, unknown>>): string {
  const claimed = auth.user;
  return config.identityFromAuth && typeof claimed === 'string' && claimed !== '' ? claimed : 'anonymous';
}
