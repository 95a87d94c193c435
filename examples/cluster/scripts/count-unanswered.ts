/**
 * Reproduction: how many new voice connections through the cluster's primary are never answered?
 *
 * Starts a throw-away `redis-server` and the example (two workers, fake providers), loads the
 * machine, then opens N new connections to `/voice` (a few at a time, WebSocket only, with the
 * voice handshake, as the voice client does) and counts those with no `ready` within 8 s.
 * Each one is closed once answered. For each unanswered one it prints the stages it reached.
 *
 *   node --import tsx examples/cluster/scripts/count-unanswered.ts [N=300] [parallel=2] [busy=2]
 *
 * (from examples/cluster with `TSX_TSCONFIG_PATH=test/tsconfig.sources.json`). The load: `busy`
 * child processes spinning on a core each, and with `BUSY_PRIMARY=15/20` the primary process busy
 * with work of its own 15 ms of every 20 ms (a primary that does more than route, a GC pause). With
 * `PROXY=1` each client goes through its own loopback TCP proxy, as in the tests.
 *
 * With `@socket.io/sticky` (before the example's own balancer) this loses about 1 connection in
 * 50–100 with `BUSY_PRIMARY=15/20`: the engine opens, and the client's Socket.IO `CONNECT` that
 * follows never reaches the worker (the primary reads it from the socket it already handed over).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startRedis } from '@voxduplex/test-support';
import { PROTOCOL_VERSION } from '@voxduplex/transport-socketio';
import { io } from 'socket.io-client';
import { startCluster } from '../test/cluster-process';
import { type DropProxy, startDropProxy } from '../test/drop-proxy';

const TOTAL = Number(process.argv[2] ?? 300);
const PARALLEL = Number(process.argv[3] ?? 2);
const BUSY = Number(process.argv[4] ?? 2);
const TIMEOUT_MS = 8000;

const redis = await startRedis();
// BUSY_PRIMARY=<busy ms>/<period ms>, e.g. 15/20: the primary busy with other work (the balancer
// test's busy-primary.mjs).
const busyPrimary = process.env.BUSY_PRIMARY;
const BUSY_PRIMARY_SCRIPT = resolve(
  import.meta.dirname,
  '../../../packages/transport-socketio/test/cluster/busy-primary.mjs',
);
const cluster = await startCluster({
  REDIS_URL: redis.url,
  VOX_WORKERS: '2',
  VOX_FAKES: '1',
  VOX_RESPAWN: '0',
  ...(busyPrimary ? { BUSY_PRIMARY: busyPrimary, NODE_OPTIONS: `--import ${BUSY_PRIMARY_SCRIPT}` } : {}),
});
const busy: ChildProcess[] = [];
for (let i = 0; i < BUSY; i++) busy.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
/** Resolves with the ms until `ready`, or `undefined` when none came in time. */
async function openOne(): Promise<number | undefined> {
  const proxy: DropProxy | undefined =
    process.env.PROXY === '1' ? await startDropProxy(cluster.url) : undefined;
  const startedAt = performance.now();
  const stages: string[] = [];
  const stamp = (stage: string) => stages.push(`${stage}@${(performance.now() - startedAt).toFixed(0)}ms`);
  // The voice handshake by hand (what connectVoiceAgent sends), to see each stage.
  const socket = io(`${proxy?.url ?? cluster.url}/voice`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { protocol: PROTOCOL_VERSION },
  });
  socket.io.on('open', () => stamp('engine-open'));
  socket.on('connect', () => stamp('namespace-connect'));
  socket.on('connect_error', (error) => stamp(`connect_error:${error.message}`));
  const readyMs = await new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), TIMEOUT_MS);
    socket.once('ready', () => {
      clearTimeout(timer);
      resolve(performance.now() - startedAt);
    });
  });
  if (readyMs === undefined)
    console.log(`unanswered: ${stages.join(', ') || 'nothing'} (engine ${socket.io.engine?.id})`);
  socket.close();
  await proxy?.close();
  return readyMs;
}

const readyMs: number[] = [];
let unanswered = 0;
try {
  for (let done = 0; done < TOTAL; ) {
    const batch = Math.min(PARALLEL, TOTAL - done);
    for (const result of await Promise.all(Array.from({ length: batch }, openOne))) {
      if (result === undefined) unanswered++;
      else readyMs.push(result);
    }
    if (Math.floor((done + batch) / 50) > Math.floor(done / 50))
      console.log(`${done + batch}/${TOTAL}: ${unanswered} unanswered`);
    done += batch;
  }
} finally {
  for (const child of busy) child.kill('SIGKILL');
  cluster.stop();
  redis.stop();
}
readyMs.sort((a, b) => a - b);
const at = (q: number) => readyMs[Math.min(readyMs.length - 1, Math.floor(q * readyMs.length))]?.toFixed(0);
console.log(
  `unanswered ${unanswered}/${TOTAL} (parallel ${PARALLEL}, ${BUSY} busy processes, ` +
    `primary busy: ${busyPrimary ? `${busyPrimary.replace('/', ' ms of ')} ms` : 'no'}, proxy: ${process.env.PROXY === '1' ? 'yes' : 'no'}); ` +
    `ready in ms p50 ${at(0.5)} p99 ${at(0.99)} max ${readyMs.at(-1)?.toFixed(0)}`,
);
process.exit(0);
