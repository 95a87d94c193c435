// One trial: a fresh server process pinned to core 0, a fresh load generator pinned to core 1,
// N clients, a warm-up, then the counted stream. Both children run under the same Node flags as
// this process (so tsx resolves the workspace packages to their built dist).
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import type {
  FromGenerator,
  FromServer,
  GeneratorReport,
  ServerReport,
  ToGenerator,
  ToServer,
  TransportKind,
  TrialPlan,
} from './messages';
import { FRAME_MS, monotonicMs } from './wire';

/** A trial passes when fewer than this share of frames is late (or lost). */
export const MAX_LATE_FRACTION = 0.01;
const WARMUP_MS = 1000;
const COUNTED_MS = 3000;
/** Longest wait for N clients to connect before the trial is called failed. */
const CONNECT_TIMEOUT_MS = 30_000;

/** Where the server runs and where the generator runs: the two cores of this machine. */
export const SERVER_CORE = 0;
export const GENERATOR_CORE = Math.min(1, cpus().length - 1);

/**
 * `pass`: the server kept the < 1 % late criterion (a generator that fell behind only bunched
 * the frames up, which makes that harder, not easier). `fail`: the server missed it while the
 * generator kept its schedule. `generator-limited`: the server missed it and the generator had
 * fallen behind too, so the trial says nothing about the server. `connect-failed`: N clients
 * could not all connect.
 */
export type Verdict = 'pass' | 'fail' | 'generator-limited' | 'connect-failed';

export interface TrialResult {
  readonly kind: TransportKind;
  readonly sessions: number;
  readonly verdict: Verdict;
  readonly lateFraction: number;
  readonly server?: ServerReport;
  readonly generator?: GeneratorReport;
  readonly connectMs?: number;
  readonly note?: string;
}

/** Starts `entry` pinned to `core` (its threads too: they inherit the affinity). */
function startPinned(core: number, entry: string, args: string[]): ChildProcess {
  return spawn('taskset', ['-c', String(core), process.execPath, ...process.execArgv, entry, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function next<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  types: readonly T[],
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M) => {
      if (!types.includes(message.type as T)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<M, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before ${types}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function stop(child: ChildProcess, message: ToServer | ToGenerator): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send(message);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs one trial of `sessions` clients against a fresh `kind` server. */
export async function runTrial(kind: TransportKind, sessions: number): Promise<TrialResult> {
  const dir = import.meta.dirname;
  const server = startPinned(SERVER_CORE, `${dir}/server-process.ts`, [kind]);
  const generator = startPinned(GENERATOR_CORE, `${dir}/generator-process.ts`, []);
  try {
    const { port } = await next<FromServer, 'listening'>(server, ['listening']);
    generator.send({ type: 'connect', kind, port, sessions } satisfies ToGenerator);
    const connected = await Promise.race([
      next<FromGenerator, 'connected' | 'connect-failed'>(generator, ['connected', 'connect-failed']),
      new Promise<Extract<FromGenerator, { type: 'connect-failed' }>>((resolve) =>
        setTimeout(() => resolve({ type: 'connect-failed', message: 'timeout' }), CONNECT_TIMEOUT_MS).unref(),
      ),
    ]);
    if (connected.type !== 'connected')
      return { kind, sessions, verdict: 'connect-failed', lateFraction: 1, note: connected.message };
    const plan: TrialPlan = {
      kind,
      sessions,
      startAt: monotonicMs() + 300,
      warmupTicks: WARMUP_MS / FRAME_MS,
      countedTicks: COUNTED_MS / FRAME_MS,
    };
    const serverDone = next<FromServer, 'streamed'>(server, ['streamed']);
    const generatorDone = next<FromGenerator, 'streamed'>(generator, ['streamed']);
    const counted = next<FromServer, 'sessions'>(server, ['sessions']);
    server.send({ type: 'stream', plan } satisfies ToServer);
    generator.send({ type: 'stream', plan } satisfies ToGenerator);
    const [{ count }, { report: serverReport }, { report: generatorReport }] = await Promise.all([
      counted,
      serverDone,
      generatorDone,
    ]);
    const lateFraction = serverReport.lateFrames / serverReport.expectedFrames;
    const isGeneratorLate = generatorReport.lateSends / generatorReport.sentFrames >= MAX_LATE_FRACTION;
    const verdict: Verdict =
      lateFraction < MAX_LATE_FRACTION ? 'pass' : isGeneratorLate ? 'generator-limited' : 'fail';
    return {
      kind,
      sessions,
      verdict,
      lateFraction,
      server: serverReport,
      generator: generatorReport,
      connectMs: connected.connectMs,
      ...(count === sessions ? {} : { note: `server held ${count} sessions` }),
    };
  } finally {
    await Promise.all([stop(generator, { type: 'exit' }), stop(server, { type: 'exit' })]);
  }
}

/** One line per trial, for the bench log. */
export function describeTrial(t: TrialResult): string {
  const head = `  ${t.kind} N=${t.sessions}: ${t.verdict}`;
  if (!t.server || !t.generator) return `${head} (${t.note ?? ''})`;
  const s = t.server;
  const g = t.generator;
  return (
    `${head}, ${(t.lateFraction * 100).toFixed(2)} % late (send→session p50 ${s.delayMs.p50.toFixed(1)} ms, ` +
    `p99 ${s.delayMs.p99.toFixed(1)}, max ${s.delayMs.max.toFixed(0)}), server ${s.cpuUsPerFrame.toFixed(1)} µs/frame ` +
    `(${s.systemUsPerFrame.toFixed(1)} system, ${(s.cpuShare * 100).toFixed(0)} % of core), heap ${s.heapPerSessionKib.toFixed(1)} KiB/session; ` +
    `generator ${(g.cpuShare * 100).toFixed(0)} % of core, send delay p99 ${g.sendDelayMs.p99.toFixed(1)} ms, ` +
    `${g.serverErrors} server errors; connect ${((t.connectMs ?? 0) / 1000).toFixed(1)} s` +
    (t.note ? ` (${t.note})` : '') +
    (g.firstServerError ? `\n    first server error: ${g.firstServerError}` : '')
  );
}
