// Soak: many concurrent voice sessions with random faults and churn, for minutes. Heap is
// sampled after a full GC (run node with --expose-gc; `npm run test:soak` does). Flags or env:
// --minutes N (VOX_SOAK_MINUTES, default 10), --sessions N (VOX_SOAK_SESSIONS, default 200),
// --seed N, --life-ms MIN-MAX (session life), --warmup F (part of the run left out of the heap
// trend), --leak-bytes N (a deliberate leak per session, to see the detector fire; not reported),
// --chains 1 (VOX_SOAK_CHAINS: serve through fallback chains while the primaries flap).
import { loadavg } from 'node:os';
import { runSoak } from '@voxduplex/reliability';
import { type BenchResult, report, result } from './harness';

function flag(name: string, fallback: string | undefined): string | undefined {
  const args = process.argv;
  const index = args.indexOf(`--${name}`);
  if (index >= 0 && args[index + 1] !== undefined) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : fallback;
}

/** A leak of a few KiB per session must break this (see the README's Reliability section). */
export const HEAP_GROWTH_GOAL_KIB_PER_SESSION_HOUR = 1024;

export default async function soak(): Promise<readonly BenchResult[]> {
  const minutes = Number(flag('minutes', process.env.VOX_SOAK_MINUTES ?? '10'));
  const sessions = Number(flag('sessions', process.env.VOX_SOAK_SESSIONS ?? '200'));
  const seed = flag('seed', process.env.VOX_SOAK_SEED);
  const leakBytes = Number(flag('leak-bytes', '0'));
  const life = flag('life-ms', undefined)?.split('-').map(Number) as [number, number] | undefined;
  const warmup = flag('warmup', undefined);
  const chains = flag('chains', process.env.VOX_SOAK_CHAINS ?? '0') === '1';
  const loadBefore = loadavg()[0]!;
  console.log(`soak: ${sessions} sessions for ${minutes} min, load ${loadBefore.toFixed(1)}`);
  const soakReport = await runSoak({
    durationMs: minutes * 60_000,
    sessions,
    sampleEveryMs: minutes >= 5 ? 10_000 : 3000,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(leakBytes > 0 ? { leakBytesPerSession: leakBytes } : {}),
    ...(life ? { sessionLifeMs: life } : {}),
    ...(warmup === undefined ? {} : { warmupFraction: Number(warmup) }),
    fallbackChains: chains,
    onSample: (s) =>
      console.log(
        `  ${(s.atMs / 1000).toFixed(0)} s: heap ${(s.heapUsedBytes / 2 ** 20).toFixed(1)} MiB, rss ${(s.rssBytes / 2 ** 20).toFixed(0)} MiB, ${s.liveSessions} sessions, load ${loadavg()[0]!.toFixed(1)}`,
      ),
  });
  const { users } = soakReport;
  console.log(
    JSON.stringify(
      {
        seed: soakReport.seed,
        faultsByKind: soakReport.faultsByKind,
        sessionErrors: soakReport.sessionErrors,
        providerHealth: soakReport.providerHealth,
        users,
        openHandles: soakReport.openHandles,
        resourcesAdded: soakReport.resourcesAdded,
        sessionProblems: soakReport.sessionProblems.slice(0, 10),
        heapGrowthKiBPerSession: soakReport.heapGrowthKiBPerSession,
      },
      null,
      2,
    ),
  );
  const results = [
    result('soak.sessions', soakReport.sessions, 'sessions', `> 0 (${sessions} concurrent, ${minutes} min)`),
    result('soak.faults', soakReport.faults, 'faults', '> 0'),
    result('soak.open_handles_after', soakReport.openHandlesAfter, 'handles', '0'),
    result(
      'soak.heap_growth_kib_per_session_hour',
      soakReport.heapGrowthKiBPerSessionHour,
      'KiB/session-hour',
      `< ${HEAP_GROWTH_GOAL_KIB_PER_SESSION_HOUR}`,
    ),
    result('soak.heap_growth_kib_per_session', soakReport.heapGrowthKiBPerSession, 'KiB/session', '< 4'),
    result('soak.turns', users.turns, 'turns', '> 0'),
    result('soak.turns_unfinished', users.turnsUnfinished, 'turns', 'hangs only'),
    result('soak.user_failures', users.failures, 'failures', '0'),
    result('soak.unhandled_errors', soakReport.unhandledErrors, 'errors', '0'),
    result('soak.rss_end', (soakReport.samples.at(-1)?.rssBytes ?? 0) / 2 ** 20, 'MiB', 'info'),
    result('soak.cpu', soakReport.cpuSeconds, 's', 'info'),
    result('soak.load_average', (loadBefore + loadavg()[0]!) / 2, 'load', 'info (2 shared cores)'),
  ];
  // A run with a deliberate leak shows the detector firing; it is not the project's figure.
  if (leakBytes > 0)
    console.table(results.map(({ metric, value, unit, goal }) => ({ metric, value, unit, goal })));
  else report('soak', results);
  return results;
}
