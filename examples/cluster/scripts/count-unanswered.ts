/**
 * Reproduction: how many new connections through the cluster's primary are never answered?
 *
 * Starts a throw-away `redis-server` and the example (two workers, fake providers), loads both
 * cores with busy child processes, then opens N new Socket.IO connections to the root namespace
 * (a few at a time, WebSocket only, as the voice client does) and counts those that did not open
 * within `TIMEOUT_MS`. Each connection is closed once it opened.
 *
 *   node --import tsx examples/cluster/scripts/count-unanswered.ts [N=300] [parallel=6] [busy=2]
 *
 * Prints one line per 50 connections and a summary: unanswered, and the open time p50/p99/max.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { startRedis } from '@voxduplex/test-support';
import { connectVoiceAgent } from '@voxduplex/transport-socketio/client';
import { io } from 'socket.io-client';
import { startCluster } from '../test/cluster-process';
import { type DropProxy, startDropProxy } from '../test/drop-proxy';

const TOTAL = Number(process.argv[2] ?? 300);
const PARALLEL = Number(process.argv[3] ?? 6);
const BUSY = Number(process.argv[4] ?? 2);
const TIMEOUT_MS = 8000;
// `voice`: the voice client on `/voice`, answered at its session's `ready`; `root`: a bare
// Socket.IO connection to `/`, answered at `connect`.
const MODE = process.env.MODE ?? 'voice';

const redis = await startRedis();
const cluster = await startCluster({
  REDIS_URL: redis.url,
  VOX_WORKERS: '2',
  VOX_FAKES: '1',
  VOX_RESPAWN: '0',
  ...(process.env.DEBUG ? { DEBUG: process.env.DEBUG } : {}),
  ...(process.env.SLOW_PRIMARY ? { SLOW_PRIMARY: '1' } : {}),
});
const busy: ChildProcess[] = [];
for (let i = 0; i < BUSY; i++)
  busy.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));

/** Resolves with the ms it took to open, or `undefined` when it did not open in time. */
function openOne(): Promise<number | undefined> {
  if (MODE === 'stages') return openStages();
  return MODE === 'voice' ? openVoice() : openRoot();
}

/** The voice handshake by hand, to tell which stage a lost connection stopped at. */
async function openStages(): Promise<number | undefined> {
  const proxy: DropProxy | undefined = process.env.PROXY ? await startDropProxy(cluster.url) : undefined;
  const startedAt = performance.now();
  const stages: string[] = [];
  const stamp = (stage: string) => stages.push(`${stage}@${(performance.now() - startedAt).toFixed(0)}`);
  const socket = io(`${proxy?.url ?? cluster.url}/voice`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { protocol: 1 },
  });
  socket.io.engine?.on('open', () => stamp('engine-open'));
  socket.io.on('open', () => stamp('manager-open'));
  socket.io.on('packet', (packet) => stamp(`packet-${packet.type}`));
  socket.on('connect', () => stamp('connect'));
  socket.on('connect_error', (error) => stamp(`connect_error:${error.message}`));
  const openMs = await new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), TIMEOUT_MS);
    socket.on('ready', () => {
      clearTimeout(timer);
      resolve(performance.now() - startedAt);
    });
  });
  if (openMs === undefined) console.log(`lost at: ${stages.join(' ')} (engine id ${socket.io.engine?.id})`);
  socket.close();
  await proxy?.close();
  return openMs;
}

async function openVoice(): Promise<number | undefined> {
  // PROXY=1: through a loopback TCP proxy of its own, as each client of the tests.
  const proxy: DropProxy | undefined = process.env.PROXY ? await startDropProxy(cluster.url) : undefined;
  const startedAt = performance.now();
  const client = connectVoiceAgent(`${proxy?.url ?? cluster.url}/voice`, { reconnection: false });
  const openMs = await new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), TIMEOUT_MS);
    client.on('ready', () => {
      clearTimeout(timer);
      resolve(performance.now() - startedAt);
    });
  });
  client.close();
  await proxy?.close();
  return openMs;
}

function openRoot(): Promise<number | undefined> {
  const startedAt = performance.now();
  const socket = io(cluster.url, { transports: ['websocket'], reconnection: false, timeout: 60_000 });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.close();
      resolve(performance.now() - startedAt);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      console.log(`connect_error: ${error.message}`);
      resolve(undefined);
    });
  });
}

const openMs: number[] = [];
let unanswered = 0;
let done = 0;
try {
  while (done < TOTAL) {
    const batch = Math.min(PARALLEL, TOTAL - done);
    const results = await Promise.all(Array.from({ length: batch }, openOne));
    for (const [i, result] of results.entries()) {
      if (result === undefined) {
        unanswered++;
        console.log(`connection ${done + i + 1} unanswered`);
      }
      else openMs.push(result);
    }
    const before = done;
    done += batch;
    if (Math.floor(done / 50) > Math.floor(before / 50)) console.log(`${done}/${TOTAL}: ${unanswered} unanswered`);
  }
} finally {
  for (const child of busy) child.kill('SIGKILL');
  if (process.env.SHOW_OUTPUT) console.log(cluster.output());
  cluster.stop();
  redis.stop();
}
openMs.sort((a, b) => a - b);
const at = (q: number) => openMs[Math.min(openMs.length - 1, Math.floor(q * openMs.length))]?.toFixed(0);
console.log(
  `unanswered ${unanswered}/${TOTAL} (parallel ${PARALLEL}, ${BUSY} busy processes); ` +
    `open ms p50 ${at(0.5)} p99 ${at(0.99)} max ${openMs.at(-1)?.toFixed(0)}`,
);
process.exit(0);
