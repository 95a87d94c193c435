// The server under test, in its own process pinned to one core: Socket.IO with the voice agent
// (`attachVoiceAgent`, `voiceServerOptions()`), or a bare `ws` server feeding the same sessions.
// Every session is a real `createVoiceSession` with fake providers; its `pushAudio` is wrapped
// to read the frame's stamp, so lateness is measured where the audio reaches the session.
import { writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { Session as InspectorSession } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type AudioInput, createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { attachVoiceAgent, decodeMicFrame, voiceServerOptions } from '@voxduplex/transport-socketio';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { quantile } from '../harness';
import type { FromServer, ServerReport, ToServer, TransportKind, TrialPlan } from './messages';
import { FRAME_MS, monotonicMs, NAMESPACE, readStamp, SAMPLE_RATE } from './wire';

/** A frame reaching its session later than this after the generator sent it is late. */
export const LATE_MS = 40;

class Tally {
  plan: TrialPlan | undefined;
  received = 0;
  late = 0;
  /** Frames that arrived inside the CPU window (between its two readings). */
  inWindow = 0;
  isWindowOpen = false;
  readonly delaysMs: number[] = [];

  /** Called for every frame before the session sees it. */
  count(samples: Int16Array): void {
    const plan = this.plan;
    if (!plan) return;
    const { tick, sentUs } = readStamp(samples);
    if (this.isWindowOpen) this.inWindow++;
    if (tick < plan.warmupTicks || tick >= plan.warmupTicks + plan.countedTicks) return;
    const delayMs = monotonicMs() - (plan.startAt + sentUs / 1000);
    this.received++;
    if (delayMs > LATE_MS) this.late++;
    if (this.received % 10 === 0) this.delaysMs.push(delayMs);
  }
}

function benchSession(tally: Tally): VoiceSession {
  const session = createVoiceSession({ stt: new FakeStt(), llm: new FakeLlm(), tts: new FakeTts() });
  const push = session.pushAudio.bind(session);
  (session as { pushAudio: (frame: AudioInput) => void }).pushAudio = (frame) => {
    tally.count(frame.samples);
    push(frame);
  };
  return session;
}

interface RunningServer {
  readonly http: HttpServer;
  sessions(): number;
}

function socketIoServer(tally: Tally): RunningServer {
  const http = createServer();
  const io = new Server(http, voiceServerOptions());
  const agent = attachVoiceAgent(io.of(NAMESPACE), {
    authenticate: () => ({ id: 'bench' }),
    createSession: () => benchSession(tally),
    resumeWindowMs: 0,
  });
  return { http, sessions: () => agent.sessions.size };
}

function bareWsServer(tally: Tally): RunningServer {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });
  let open = 0;
  wss.on('connection', (socket) => {
    const session = benchSession(tally);
    open++;
    socket.on('message', (data, isBinary) => {
      const decoded = decodeMicFrame(isBinary ? data : undefined);
      if ('frame' in decoded)
        session.pushAudio({ samples: decoded.frame.samples, sampleRate: SAMPLE_RATE, channels: 1 });
    });
    socket.on('close', () => {
      open--;
      session.close('disconnected');
    });
  });
  return { http, sessions: () => open };
}

/**
 * With `VOX_BENCH_CPU_PROF=<dir>`, profiles the counted window only (no start-up, no connects)
 * and returns the function that writes `<dir>/transport-<kind>-<N>.cpuprofile`.
 */
async function startProfiler(): Promise<(() => Promise<void>) | undefined> {
  const dir = process.env.VOX_BENCH_CPU_PROF;
  if (!dir) return undefined;
  const session = new InspectorSession();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(`${dir}/transport-${process.argv[2]}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
  };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function stream(plan: TrialPlan, tally: Tally, heapBefore: number): Promise<ServerReport> {
  tally.plan = plan;
  const windowStart = plan.startAt + plan.warmupTicks * FRAME_MS;
  const windowEnd = windowStart + plan.countedTicks * FRAME_MS;
  await sleep(windowStart - monotonicMs());
  const profiler = await startProfiler();
  const cpuBefore = process.cpuUsage();
  const openedAt = monotonicMs();
  tally.isWindowOpen = true;
  await sleep(windowEnd - monotonicMs());
  tally.isWindowOpen = false;
  const cpu = process.cpuUsage(cpuBefore);
  const windowMs = monotonicMs() - openedAt;
  await profiler?.();
  // Frames of the last counted tick may still be on their way: wait out the late threshold.
  await sleep(windowEnd + LATE_MS + FRAME_MS - monotonicMs());
  collectGarbage();
  const heapPerSessionKib = (process.memoryUsage().heapUsed - heapBefore) / plan.sessions / 1024;
  const expectedFrames = plan.sessions * plan.countedTicks;
  const cpuUs = cpu.user + cpu.system;
  return {
    expectedFrames,
    receivedFrames: tally.received,
    // A frame that never came is late too.
    lateFrames: tally.late + Math.max(0, expectedFrames - tally.received),
    delayMs: {
      p50: quantile(tally.delaysMs, 0.5),
      p99: quantile(tally.delaysMs, 0.99),
      max: tally.delaysMs.length === 0 ? Number.NaN : Math.max(...tally.delaysMs),
    },
    cpuUsPerFrame: cpuUs / Math.max(1, tally.inWindow),
    systemUsPerFrame: cpu.system / Math.max(1, tally.inWindow),
    cpuShare: cpuUs / 1000 / windowMs,
    heapPerSessionKib,
  };
}

async function main(kind: TransportKind): Promise<void> {
  const send = (message: FromServer) => process.send?.(message);
  const tally = new Tally();
  const server = kind === 'ws' ? bareWsServer(tally) : socketIoServer(tally);
  await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  process.on('message', async (message: ToServer) => {
    if (message.type === 'exit') process.exit(0);
    send({ type: 'sessions', count: server.sessions() });
    send({ type: 'streamed', report: await stream(message.plan, tally, heapBefore) });
  });
  // The orchestrator going away must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', port: (server.http.address() as AddressInfo).port });
}

void main(process.argv[2] as TransportKind);
