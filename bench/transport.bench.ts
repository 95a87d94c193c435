// Concurrent real-time voice sessions through the Socket.IO transport on loopback, against the
// same clients over a bare `ws` server in the same run.
//
// Layout: every trial starts a fresh server process pinned to core 0 (`taskset -c 0`; it hosts
// real `createVoiceSession` sessions with fake providers behind `attachVoiceAgent` +
// `voiceServerOptions()`, or behind a bare `ws` server) and a fresh load generator pinned to core
// 1. The generator opens N `ws` clients that speak the servers' wire formats by hand with
// pre-encoded packets (Engine.IO v4 / Socket.IO v5: handshake, CONNECT, `start`, then per frame the
// binary `audio` event's text header and attachment; bare ws: one binary message per frame), and
// sends each client's 20 ms, 16 kHz Int16 frame every 20 ms, phases spread evenly over the 20 ms.
// This process only orchestrates (bench/transport/trial.ts).
//
// Late is measured at the server: the generator stamps each frame with its tick and the moment
// it actually left (CLOCK_MONOTONIC, shared by all processes); a wrapper around the session's
// `pushAudio` compares that stamp with the moment the frame reached the session. A frame is late
// when it reached the session more than 40 ms after it was sent, or never. 1 s of warm-up is
// streamed and not counted; 3 s are counted. A trial passes with < 1 % late frames.
// The generator checks itself: it reports its CPU share and how late it sent each frame
// against the schedule. A trial the server fails while ≥ 1 % of the generator's frames left more
// than 10 ms late is `generator-limited`: it says nothing about the server and stops the search,
// reported as such. (A server that passes despite a late generator passed under bunched-up load.)
//
// sessions_per_core: the largest N (doubling from 100, then bisection to 25) whose trial passes;
// a failed trial is run once more before it counts, since load from other processes on a shared
// machine can only add lateness.
// heap_per_session_kib: server heap after GC with HEAP_N sessions streaming, minus its heap
// before any connection, divided by HEAP_N.
// The Socket.IO clients send compact audio messages (one WebSocket message per frame), as the
// reference client does when `ready.compactAudio` says the server takes them.
// Server CPU per frame comes from bench/transport/cpu-probe.ts: PROBE_N clients send rounds of
// frames back to back and the server's CPU is read from /proc once it is idle. Unlike CPU per
// frame in a real-time trial, which swings with how many frames each wake-up carries (and so with
// other load on a shared machine), this is the cost near capacity. Probed for Socket.IO (compact
// audio), Socket.IO with binary `audio` events (clients of protocol revisions before 3), and bare
// ws. vs_ws.ratio = ws CPU per frame ÷ Socket.IO's: Socket.IO's CPU-bound capacity as a fraction
// of bare ws (1 = no transport overhead); the real-time capacities' ratio is reported beside it
// (vs_ws.capacity_ratio).
//
// Build first: `npm run build -w packages/core -w packages/transport-socketio`.
// `VOX_BENCH_CPU_PROF=<dir>` writes a CPU profile of each server's counted window to <dir>.
import { cpus, loadavg } from 'node:os';
import { type BenchResult, report, result } from './harness';
import { type CpuProbe, probeServerCpu } from './transport/cpu-probe';
import type { TransportKind } from './transport/messages';
import { describeTrial, runTrial, type TrialResult } from './transport/trial';
import { FRAME_MS } from './transport/wire';

const HEAP_N = 200;
const PROBE_N = 300;
const PROBE_ROUNDS = 8;
const FIRST_N = 100;
const MAX_N = 3200;
const STEP_N = 25;

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

async function trialLogged(kind: TransportKind, n: number): Promise<TrialResult> {
  let t = await runTrial(kind, n);
  console.log(`${describeTrial(t)} [load ${load()}]`);
  if (t.verdict === 'fail') {
    t = await runTrial(kind, n);
    console.log(`${describeTrial(t)} [rerun, load ${load()}]`);
  }
  return t;
}

interface Search {
  readonly best: TrialResult | undefined;
  /** Why the search stopped where it did, when that was not a server failure. */
  readonly limit: string | undefined;
}

/** Largest N (to STEP_N) with < 1 % late frames: doubling from FIRST_N, then bisection. */
async function largestN(kind: TransportKind): Promise<Search> {
  let best: TrialResult | undefined;
  let failN: number | undefined;
  for (let n = FIRST_N; n <= MAX_N; n *= 2) {
    const t = await trialLogged(kind, n);
    if (t.verdict === 'pass') best = t;
    else if (t.verdict === 'fail') {
      failN = n;
      break;
    } else return { best, limit: `${t.verdict} at N=${n}` };
  }
  if (failN === undefined) return { best, limit: `every N up to ${MAX_N} passed` };
  let high: number = failN;
  let low = best?.sessions ?? 0;
  while (high - low > STEP_N) {
    const n: number = Math.round((low + high) / 2 / STEP_N) * STEP_N;
    if (n <= low || n >= high) break;
    const t = await trialLogged(kind, n);
    if (t.verdict === 'pass') {
      best = t;
      low = n;
    } else if (t.verdict === 'fail') high = n;
    else return { best, limit: `${t.verdict} at N=${n}` };
  }
  return { best, limit: undefined };
}

export default async function transportBench(): Promise<readonly BenchResult[]> {
  console.log(`transport: load average ${load()} on ${cpus().length} cores before the run`);
  const socketioAtHeapN = await trialLogged('socketio', HEAP_N);
  const wsAtHeapN = await trialLogged('ws', HEAP_N);
  const probes = [];
  for (const kind of ['socketio', 'socketio-events', 'ws'] as const) {
    const probe = await probeServerCpu(kind, PROBE_N, PROBE_ROUNDS);
    console.log(
      `  ${kind} saturated: ${probe.serverCpuUsPerFrame.toFixed(2)} µs of server CPU per frame ` +
        `(N=${PROBE_N}, ${probe.frames} frames, ${probe.serverErrors} server errors) [load ${load()}]`,
    );
    probes.push(probe);
  }
  const [socketioProbe, eventsProbe, wsProbe] = probes as [CpuProbe, CpuProbe, CpuProbe];
  const socketio = await largestN('socketio');
  const ws = await largestN('ws');
  for (const [kind, search] of [
    ['socketio', socketio],
    ['ws', ws],
  ] as const)
    if (search.limit) console.log(`  ${kind}: search stopped: ${search.limit}`);
  const socketioCpu = socketioProbe.serverCpuUsPerFrame;
  const wsCpu = wsProbe.serverCpuUsPerFrame;
  const results = [
    result('transport.sessions_per_core', socketio.best?.sessions ?? 0, 'sessions', '>= 500'),
    result(
      'transport.heap_per_session_kib',
      socketioAtHeapN.server?.heapPerSessionKib ?? Number.NaN,
      'KiB',
      '< 256',
    ),
    // Socket.IO's CPU-bound capacity as a fraction of bare ws's (1 = no transport overhead).
    result('transport.vs_ws.ratio', wsCpu / socketioCpu, 'ratio', '>= 0.5'),
    result('transport.ws.sessions_per_core', ws.best?.sessions ?? 0, 'sessions', 'reference'),
    result(
      'transport.vs_ws.capacity_ratio',
      (socketio.best?.sessions ?? 0) / (ws.best?.sessions ?? Number.NaN),
      'ratio',
      'reference',
    ),
    result('transport.server_cpu_per_frame_us', socketioCpu, 'µs', 'reference'),
    result('transport.ws.server_cpu_per_frame_us', wsCpu, 'µs', 'reference'),
    // Clients of protocol revisions before 3: each frame a binary event (two WebSocket messages).
    result('transport.events.server_cpu_per_frame_us', eventsProbe.serverCpuUsPerFrame, 'µs', 'reference'),
    // Real-time CPU per frame at HEAP_N sessions (includes the wake-up overhead of a light load).
    result(
      'transport.realtime.server_cpu_per_frame_us',
      socketioAtHeapN.server?.cpuUsPerFrame ?? Number.NaN,
      'µs',
      'reference',
    ),
    // What one fully used core could carry at the measured CPU cost per frame (50 frames/s each).
    result(
      'transport.cpu_bound_sessions_per_core',
      1e6 / (socketioCpu * (1000 / FRAME_MS)),
      'sessions',
      'reference',
    ),
    result(
      'transport.ws.heap_per_session_kib',
      wsAtHeapN.server?.heapPerSessionKib ?? Number.NaN,
      'KiB',
      'reference',
    ),
    // The generator's own CPU (share of its core) at the largest passing N: far below 1 means
    // the figure above is the server's limit, not the generator's.
    result(
      'transport.generator_cpu_share',
      socketio.best?.generator?.cpuShare ?? Number.NaN,
      'share',
      'reference',
    ),
    result(
      'transport.ws.generator_cpu_share',
      ws.best?.generator?.cpuShare ?? Number.NaN,
      'share',
      'reference',
    ),
  ];
  report('transport', results);
  console.log(`transport: load average ${load()} after the run`);
  return results;
}
