// Concurrent real-time voice sessions through the Socket.IO transport on loopback, against the
// same clients over a bare `ws` server in the same run.
//
// The server side (this process, one event loop = one core) hosts real sessions
// (`createVoiceSession` with fake providers). N clients live in a child process (the other core)
// and send one 20 ms, 16 kHz frame per session every 20 ms of wall time. Each frame carries its
// tick number in its first two samples; the session's `pushAudio` is wrapped to read it back, so a
// frame's lateness is "reached the session" minus "was due to be sent" on a clock both processes
// share. A frame is late when it reaches the session more than LATE_MS after it was due, or never.
// The first WARMUP_MS of each trial is streamed but not counted. A trial passes with < 1 % late
// frames; the largest passing N is the sessions-per-core figure.
// Heap per session: heap growth (after GC) with HEAP_N sessions streaming, divided by HEAP_N.
// vs_ws.ratio: both servers serve the same HEAP_N clients; ratio = server CPU per frame over bare
// ws / over Socket.IO, i.e. Socket.IO's capacity as a fraction of bare ws (1 = no overhead). CPU
// time per frame is also turned into a CPU-bound capacity, which a busy shared machine (other
// processes taking the cores) affects far less than the real-time lateness search.
//
// Build first: `npx tsup` in packages/core and packages/transport-socketio.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type AudioInput, createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import {
  attachVoiceAgent,
  decodeMicFrame,
  encodeMicFrame,
  voiceServerOptions,
} from '@voxduplex/transport-socketio';
import { connectVoiceAgent } from '@voxduplex/transport-socketio/client';
import { Server } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import { type BenchResult, quantile, report, result } from './harness';

const FRAME_MS = 20;
const SAMPLES = 320;
const LATE_MS = 40;
const STREAM_MS = 3000;
/** Streamed first and not counted: JIT warm-up and the start-up burst are not steady state. */
const WARMUP_MS = 1000;
const MAX_LATE_FRACTION = 0.01;
const HEAP_N = 100;
const MAX_N = 1600;
const BUDGET_MS = 150_000;

type Kind = 'socketio' | 'ws';
// Wall-clock ms: the one clock two processes agree on (each process's performance.timeOrigin is
// fixed at its own start and can be tens of ms off from another's).
const now = () => Date.now();

// ---------------------------------------------------------------- client child process
type ToChild =
  | { type: 'connect'; kind: Kind; url: string; n: number }
  | { type: 'stream'; startAt: number }
  | { type: 'close' };
type FromChild = { type: 'connected' } | { type: 'streamed'; clientCpuMs: number } | { type: 'closed' };

async function runClients(): Promise<void> {
  let senders: ((frame: Int16Array) => void)[] = [];
  let closers: (() => void)[] = [];
  process.on('message', async (message: ToChild) => {
    if (message.type === 'connect') {
      const { kind, url, n } = message;
      const ready: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        if (kind === 'socketio') {
          const client = connectVoiceAgent(url, { socketOptions: { forceNew: true } });
          ready.push(new Promise((resolve) => client.on('ready', () => resolve())));
          senders.push((frame) => client.sendAudio(frame));
          closers.push(() => client.close());
        } else {
          const socket = new WebSocket(url, { perMessageDeflate: false });
          ready.push(once(socket, 'open').then(() => undefined));
          let seq = 0;
          senders.push((frame) => socket.send(encodeMicFrame(frame, seq++, 16000)));
          closers.push(() => socket.close());
        }
      }
      await Promise.all(ready);
      process.send?.({ type: 'connected' } satisfies FromChild);
    } else if (message.type === 'stream') {
      const cpuBefore = process.cpuUsage();
      const ticks = (WARMUP_MS + STREAM_MS) / FRAME_MS;
      const frame = new Int16Array(SAMPLES);
      for (let tick = 0; tick < ticks; tick++) {
        const wait = message.startAt + tick * FRAME_MS - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        frame[0] = tick & 0x7fff;
        frame[1] = tick >> 15;
        for (const send of senders) send(frame);
      }
      // Let the last frames leave before reporting.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const cpu = process.cpuUsage(cpuBefore);
      process.send?.({ type: 'streamed', clientCpuMs: (cpu.user + cpu.system) / 1000 } satisfies FromChild);
    } else if (message.type === 'close') {
      for (const close of closers) close();
      senders = [];
      closers = [];
      process.send?.({ type: 'closed' } satisfies FromChild);
    }
  });
}

// ---------------------------------------------------------------- server side
interface Tally {
  startAt: number;
  frames: number;
  late: number;
  latenessMs: number[];
}

function benchSession(tally: Tally): VoiceSession {
  const session = createVoiceSession({ stt: new FakeStt(), llm: new FakeLlm(), tts: new FakeTts() });
  const push = session.pushAudio.bind(session);
  // Reads the tick number the client wrote into the samples: transport-agnostic lateness.
  (session as { pushAudio: (frame: AudioInput) => void }).pushAudio = (frame) => {
    const tick = (frame.samples[0]! & 0x7fff) | (frame.samples[1]! << 15);
    const latenessMs = now() - (tally.startAt + tick * FRAME_MS);
    if (tick < WARMUP_MS / FRAME_MS) return push(frame);
    tally.frames++;
    if (latenessMs > LATE_MS) tally.late++;
    if (tally.frames % 10 === 0) tally.latenessMs.push(latenessMs);
    push(frame);
  };
  return session;
}

async function listen(http: HttpServer): Promise<number> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return (http.address() as AddressInfo).port;
}

async function startServer(
  kind: Kind,
  tally: Tally,
): Promise<{ url: string; sessions: () => number; close(): Promise<void> }> {
  const http = createServer();
  if (kind === 'socketio') {
    const io = new Server(http, voiceServerOptions());
    const agent = attachVoiceAgent(io.of('/voice'), {
      authenticate: () => ({ id: 'bench' }),
      createSession: () => benchSession(tally),
      resumeWindowMs: 0,
    });
    const port = await listen(http);
    return {
      url: `http://127.0.0.1:${port}/voice`,
      sessions: () => agent.sessions.size,
      close: async () => {
        agent.close();
        await io.close();
      },
    };
  }
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });
  let open = 0;
  wss.on('connection', (socket) => {
    const session = benchSession(tally);
    open++;
    socket.on('message', (data, isBinary) => {
      const decoded = decodeMicFrame(isBinary ? data : undefined);
      if ('frame' in decoded)
        session.pushAudio({ samples: decoded.frame.samples, sampleRate: 16000, channels: 1 });
    });
    socket.on('close', () => {
      open--;
      session.close('disconnected');
    });
  });
  const port = await listen(http);
  return {
    url: `ws://127.0.0.1:${port}`,
    sessions: () => open,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

function request(child: ChildProcess, message: ToChild, reply: FromChild['type']): Promise<FromChild> {
  return new Promise((resolve) => {
    const onMessage = (m: FromChild) => {
      if (m.type !== reply) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Trial {
  n: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  lateFraction: number;
  heapPerSessionKib: number;
  serverCpuUsPerFrame: number;
  clientCpuShare: number;
}

async function trial(kind: Kind, n: number): Promise<Trial> {
  const tally: Tally = { startAt: Number.POSITIVE_INFINITY, frames: 0, late: 0, latenessMs: [] };
  const server = await startServer(kind, tally);
  const child = fork(import.meta.filename, ['--clients'], { execArgv: process.execArgv, stdio: 'inherit' });
  try {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    await request(child, { type: 'connect', kind, url: server.url, n }, 'connected');
    while (server.sessions() < n) await new Promise((resolve) => setTimeout(resolve, 10));
    tally.startAt = now() + 200;
    // Server CPU over the streaming window only: no connects, no teardown, no forced GC in it.
    const window = new Promise<NodeJS.CpuUsage>((resolve) => {
      setTimeout(
        () => {
          const cpuBefore = process.cpuUsage();
          setTimeout(() => resolve(process.cpuUsage(cpuBefore)), STREAM_MS);
        },
        tally.startAt + WARMUP_MS - now(),
      );
    });
    const { clientCpuMs } = (await request(
      child,
      { type: 'stream', startAt: tally.startAt },
      'streamed',
    )) as Extract<FromChild, { type: 'streamed' }>;
    const cpu = await window;
    const framesInWindow = tally.frames;
    collectGarbage();
    const heapPerSessionKib = (process.memoryUsage().heapUsed - heapBefore) / n / 1024;
    await request(child, { type: 'close' }, 'closed');
    const expected = n * (STREAM_MS / FRAME_MS);
    const late = tally.late + Math.max(0, expected - tally.frames);
    return {
      n,
      latenessP50Ms: quantile(tally.latenessMs, 0.5),
      latenessP99Ms: quantile(tally.latenessMs, 0.99),
      lateFraction: late / expected,
      heapPerSessionKib,
      serverCpuUsPerFrame: (cpu.user + cpu.system) / Math.max(1, framesInWindow),
      clientCpuShare: clientCpuMs / (WARMUP_MS + STREAM_MS + 200),
    };
  } finally {
    child.kill();
    await server.close();
  }
}

function log(kind: Kind, t: Trial): void {
  console.log(
    `  ${kind} N=${t.n}: ${(t.lateFraction * 100).toFixed(2)} % late (p50 ${t.latenessP50Ms.toFixed(1)} ms, ` +
      `p99 ${t.latenessP99Ms.toFixed(1)} ms), server ${t.serverCpuUsPerFrame.toFixed(1)} µs/frame, ` +
      `client core ${(t.clientCpuShare * 100).toFixed(0)} %, load ${loadavg()[0]!.toFixed(1)}`,
  );
}

/** Largest N (to 25) with < 1 % late frames: doubling from 25, then bisection, within a time budget. */
async function largestN(kind: Kind, deadline: number): Promise<{ best: Trial | undefined; trials: Trial[] }> {
  const trials: Trial[] = [];
  let pass: Trial | undefined;
  let failN = MAX_N * 2;
  for (let n = 25; n <= MAX_N && now() < deadline; n *= 2) {
    const t = await trial(kind, n);
    trials.push(t);
    log(kind, t);
    if (t.lateFraction < MAX_LATE_FRACTION) pass = t;
    else {
      failN = n;
      break;
    }
  }
  let low = pass?.n ?? 0;
  while (failN - low > 25 && now() < deadline) {
    const n = Math.round((low + failN) / 2 / 25) * 25;
    if (n <= low || n >= failN) break;
    const t = await trial(kind, n);
    trials.push(t);
    log(kind, t);
    if (t.lateFraction < MAX_LATE_FRACTION) {
      pass = t;
      low = n;
    } else failN = n;
  }
  return { best: pass, trials };
}

export default async function transportBench(): Promise<readonly BenchResult[]> {
  const deadline = now() + BUDGET_MS;
  console.log(`transport: load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores before the run`);
  // Same N, same clients, both servers: the CPU each spends per frame shows the transport's cost.
  const socketioAtHeapN = await trial('socketio', HEAP_N);
  log('socketio', socketioAtHeapN);
  const wsAtHeapN = await trial('ws', HEAP_N);
  log('ws', wsAtHeapN);
  const socketio = await largestN('socketio', deadline - BUDGET_MS / 2);
  const ws = await largestN('ws', deadline);
  const results = [
    result('transport.sessions_per_core', socketio.best?.n ?? 0, 'sessions', '>= 500'),
    result('transport.heap_per_session_kib', socketioAtHeapN.heapPerSessionKib, 'KiB', '< 256'),
    // Socket.IO capacity as a fraction of bare ws capacity (1 = no transport overhead).
    result(
      'transport.vs_ws.ratio',
      wsAtHeapN.serverCpuUsPerFrame / socketioAtHeapN.serverCpuUsPerFrame,
      'ratio',
      '>= 0.5',
    ),
    result('transport.ws.sessions_per_core', ws.best?.n ?? 0, 'sessions', 'reference'),
    result('transport.server_cpu_per_frame_us', socketioAtHeapN.serverCpuUsPerFrame, 'µs', 'reference'),
    result('transport.ws.server_cpu_per_frame_us', wsAtHeapN.serverCpuUsPerFrame, 'µs', 'reference'),
    // What one fully used core could carry at the measured CPU cost per frame (50 frames/s each).
    result(
      'transport.cpu_bound_sessions_per_core',
      1e6 / (socketioAtHeapN.serverCpuUsPerFrame * (1000 / FRAME_MS)),
      'sessions',
      'reference',
    ),
    result('transport.ws.heap_per_session_kib', wsAtHeapN.heapPerSessionKib, 'KiB', 'reference'),
  ];
  report('transport', results);
  return results;
}

if (process.argv.includes('--clients')) void runClients();
