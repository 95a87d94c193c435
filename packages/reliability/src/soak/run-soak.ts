import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ProcessWatch } from '../process-watch';
import { type OpenHandles, startReliabilityServer, totalOpen } from '../reliability-server';
import { linearSlope, type Sample } from './linear-trend';
import { SeededRandom } from './random';
import { emptyCounters, liveOneSession, type SoakUserCounters } from './soak-user';

export interface SoakOptions {
  /** How long new sessions keep starting, ms. */
  readonly durationMs: number;
  /** Sessions kept busy at the same time. */
  readonly sessions: number;
  /** Heap sampling period, ms. Default 5000. */
  readonly sampleEveryMs?: number;
  /** The first part of the run not used for the heap trend (JIT, caches, pools warm up). Default 0.2. */
  readonly warmupFraction?: number;
  /** How long one session lives, ms. Default [4000, 20000]. */
  readonly sessionLifeMs?: readonly [number, number];
  /** Probability that a turn asks for a provider fault. Default 0.25. */
  readonly faultRate?: number;
  readonly seed?: number;
  /**
   * Bytes the server keeps for ever per session created: a deliberate leak, to show that the
   * heap trend catches one. Default 0.
   */
  readonly leakBytesPerSession?: number;
  /**
   * Serve through fallback chains (see `startReliabilityServer`'s `fallbackChains`) while a
   * primary provider flaps: every 0.5–2.5 s one goes down for 0.3–3 s. Default false.
   */
  readonly fallbackChains?: boolean;
  /** Called after each heap sample (progress). */
  readonly onSample?: (sample: HeapSample) => void;
}

/** One post-GC reading. */
export interface HeapSample {
  /** Since the start, ms. */
  readonly atMs: number;
  readonly heapUsedBytes: number;
  /** Compiled code within `heapUsedBytes` (grows while the JIT warms up, then levels off). */
  readonly codeBytes: number;
  readonly rssBytes: number;
  /** Memory of ArrayBuffers (audio lives there, outside the JS heap). */
  readonly arrayBufferBytes: number;
  /** Sessions the server held at that moment. */
  readonly liveSessions: number;
}

/** What a soak did and what it left behind. */
export interface SoakReport {
  readonly durationMs: number;
  readonly concurrency: number;
  readonly seed: number;
  /** Sessions created. */
  readonly sessions: number;
  /** Faults injected: provider faults and outages, broken recognition streams, dropped connections. */
  readonly faults: number;
  readonly faultsByKind: Record<string, number>;
  readonly users: SoakUserCounters;
  /** Session error events by code. */
  readonly sessionErrors: Record<string, number>;
  /** With fallback chains: providers taken out of service and back (the chains' counts). */
  readonly providerHealth: { readonly switches: number; readonly recoveries: number };
  /** What the server still held after every client left (all zero when clean). */
  readonly openHandles: OpenHandles;
  /** Process resources (`getActiveResourcesInfo`) beyond the start, after the server closed. */
  readonly resourcesAdded: Record<string, number>;
  /** Sum of the two above and of the session problems (a session closed with timers pending…). */
  readonly openHandlesAfter: number;
  readonly sessionProblems: readonly string[];
  readonly unhandledErrors: number;
  /**
   * Post-GC heap trend (without compiled code, with ArrayBuffers) over the steady part, divided by the session-hours
   * it served: KiB per hour per concurrent session.
   */
  readonly heapGrowthKiBPerSessionHour: number;
  /** The same trend per session created in the steady part, KiB. */
  readonly heapGrowthKiBPerSession: number;
  readonly samples: readonly HeapSample[];
  /** CPU time of this process, s (user + system). */
  readonly cpuSeconds: number;
}

/** `global.gc`, exposed at run time when node was not started with `--expose-gc`. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps `sessions` simulated users busy against a loopback voice server for `durationMs`: each
 * lives a random while (turns with fault words, interruptions, acks, broken recognition,
 * dropped and resumed connections), then leaves, is dropped or is ended by the app, and a new
 * one takes its place; with `fallbackChains`, the primary providers flap meanwhile. Samples the heap after a full GC; at the end, waits for every session
 * to end and counts what is still open.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const gc = collector();
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = new SeededRandom(seed);
  const watch = new ProcessWatch();
  const cpuStart = process.cpuUsage();
  const leak: Uint8Array[] = [];
  const server = await startReliabilityServer({
    resumeWindowMs: 2000,
    fallbackChains: options.fallbackChains ?? false,
    // Half the audio bytes of 16 kHz: the traffic of 200 talking sessions on two shared cores.
    tts: { sampleRate: 8000 },
    limits: { maxMessagesPerSecond: 200, messageBurst: 200 },
    ...(options.leakBytesPerSession
      ? { onSessionCreated: () => void leak.push(new Uint8Array(options.leakBytesPerSession!).fill(1)) }
      : {}),
  });
  const counters = emptyCounters();
  const startedAt = Date.now();
  const deadline = startedAt + options.durationMs;
  let serial = 0;
  const userOptions = {
    url: server.url,
    random,
    counters,
    deadline,
    lifeMs: options.sessionLifeMs ?? ([4000, 20_000] as const),
    faultRate: options.faultRate ?? 0.25,
    chains: options.fallbackChains ?? false,
    endSession: (sessionId: string) => void server.agent.sessions.remove(sessionId, 'ended by the app'),
    drop: (tag: string) => void server.drop(tag),
    serial: () => serial++,
  };
  const slot = async (index: number) => {
    // Staggered starts, so sessions do not all begin and end together.
    await sleep((index * 2000) / options.sessions);
    while (Date.now() < deadline) await liveOneSession(userOptions);
  };

  const samples: HeapSample[] = [];
  const createdAt: { atMs: number; created: number }[] = [];
  const sampler = (async () => {
    while (Date.now() < deadline) {
      await sleep(options.sampleEveryMs ?? 5000);
      gc();
      const memory = process.memoryUsage();
      const codeBytes = getHeapSpaceStatistics()
        .filter((space) => space.space_name.startsWith('code'))
        .reduce((sum, space) => sum + space.space_used_size, 0);
      const sample = {
        atMs: Date.now() - startedAt,
        heapUsedBytes: memory.heapUsed,
        codeBytes,
        rssBytes: memory.rss,
        arrayBufferBytes: memory.arrayBuffers,
        liveSessions: server.agent.stats().sessions,
      };
      samples.push(sample);
      createdAt.push({ atMs: sample.atMs, created: server.ledger.created });
      server.ledger.forgetClean();
      options.onSample?.(sample);
    }
  })();

  const flapper = (async () => {
    if (!options.fallbackChains) return;
    while (Date.now() < deadline) {
      await sleep(random.between(500, 2500));
      server.flap(random.pick(['stt', 'llm', 'tts'] as const), random.between(300, 3000));
    }
  })();

  await Promise.all([...Array.from({ length: options.sessions }, (_, i) => slot(i)), sampler, flapper]);
  server.steady();
  // Every user has left; dropped sessions end when their resume window does.
  const settleBy = Date.now() + 15_000;
  while (totalOpen(server.openHandles()) > 0 && Date.now() < settleBy) await sleep(50);
  const openHandles = server.openHandles();
  const sessionProblems = server.ledger.problems();
  await server.close();
  watch.stop();
  const resourcesSettleBy = Date.now() + 5000;
  while (watch.resourcesAddedCount() > 0 && Date.now() < resourcesSettleBy) await sleep(50);
  const resourcesAdded = watch.resourcesAdded();
  const cpu = process.cpuUsage(cpuStart);

  const steadyFrom = options.durationMs * (options.warmupFraction ?? 0.2);
  const steady = samples.filter((s) => s.atMs >= steadyFrom);
  // Compiled code is left out (it grows while the JIT warms up, and no session data lives
  // there); ArrayBuffers are in (retained audio would be a leak outside the JS heap).
  const slopeBytesPerMs = linearSlope(
    steady.map(
      (s) => ({ t: s.atMs, value: s.heapUsedBytes - s.codeBytes + s.arrayBufferBytes }) satisfies Sample,
    ),
  );
  const meanLive = steady.reduce((sum, s) => sum + s.liveSessions, 0) / Math.max(1, steady.length);
  const kibPerHour = (slopeBytesPerMs * 3_600_000) / 1024;
  const steadyCreated = createdAt.filter((c) => c.atMs >= steadyFrom);
  const createdInSteady = (steadyCreated.at(-1)?.created ?? 0) - (steadyCreated[0]?.created ?? 0);
  const steadySpanMs = (steady.at(-1)?.atMs ?? 0) - (steady[0]?.atMs ?? 0);

  const faultsByKind = server.faults.toJSON();
  return {
    durationMs: Date.now() - startedAt,
    concurrency: options.sessions,
    seed,
    sessions: server.ledger.created,
    faults: server.faults.total + counters.clientFaults,
    faultsByKind: { ...faultsByKind, 'client:broken-or-dropped': counters.clientFaults },
    users: counters,
    sessionErrors: Object.fromEntries(server.ledger.errorCodes),
    providerHealth: server.providerHealth(),
    openHandles,
    resourcesAdded,
    openHandlesAfter:
      totalOpen(openHandles) +
      Object.values(resourcesAdded).reduce((sum, n) => sum + n, 0) +
      sessionProblems.length,
    sessionProblems,
    unhandledErrors: watch.unhandledRejections.length + watch.uncaughtExceptions.length,
    heapGrowthKiBPerSessionHour: meanLive > 0 ? kibPerHour / meanLive : Number.NaN,
    heapGrowthKiBPerSession:
      createdInSteady > 0 ? (slopeBytesPerMs * steadySpanMs) / 1024 / createdInSteady : Number.NaN,
    samples,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}
