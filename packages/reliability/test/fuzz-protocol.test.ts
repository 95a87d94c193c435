import { resolveTransportLimits } from '@voxduplex/transport-socketio';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { report, result } from '../../../bench/harness';
import { Bystander, bystanderUtterances } from './support/bystander';
import { CountedProviders } from './support/counted-providers';
import { fuzzRun } from './support/fuzz-arbitraries';
import { FuzzTally, playFuzzRun } from './support/fuzz-runner';
import { watchProcessFaults } from './support/process-faults';
import { waitFor } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

/**
 * `VOX_FUZZ_RUNS` sets how many fuzzing sockets to play (default sized for CI, well under a
 * minute); `VOX_FUZZ_SEED` replays a failure; `VOX_FUZZ_SHRINK=1` shrinks a failure to its
 * smallest form (slow); `VOX_WRITE_BENCH=1` writes `bench/results/fuzz.json`.
 */
const numRuns = Number(process.env.VOX_FUZZ_RUNS ?? 150);
const seed = process.env.VOX_FUZZ_SEED === undefined ? undefined : Number(process.env.VOX_FUZZ_SEED);
const timeoutMs = 120_000 + numRuns * 2_000;

let server: VoiceServer | undefined;
let bystander: Bystander | undefined;
afterAll(async () => {
  bystander?.close();
  await server?.close();
});

describe('protocol fuzzing against a live server', () => {
  it(
    'answers every invalid message with a typed error and drops it, never throws, and never disturbs another user',
    async () => {
      const faults = watchProcessFaults();
      const limits = resolveTransportLimits();
      const fuzzProviders = new CountedProviders({ llm: { reply: 'Okay.' } });
      const bystanderProviders = new CountedProviders({
        stt: { utterances: bystanderUtterances(10_000), finalDelayMs: 20 },
        llm: { reply: 'Sure.' },
      });
      server = await startVoiceServer({
        // Short, so the sessions of connections Socket.IO closed end within the test.
        resumeWindowMs: 200,
        createDelayMs: 5,
        providersFor: (id) => (id === 'bystander' ? bystanderProviders : fuzzProviders),
      });
      bystander = new Bystander(server.url, { token: 'good', user: 'bystander' });
      await bystander.ready();
      await bystander.turn();
      bystander.run();
      const turnsBefore = bystander.turnsCompleted;

      const tally = new FuzzTally();
      const target = {
        url: server.url,
        limits: { ...limits, inputSampleRate: 16_000 },
        providers: fuzzProviders,
      };
      const cpuBefore = process.cpuUsage();
      const startedMs = performance.now();
      await fc.assert(
        fc.asyncProperty(fuzzRun, (run) => playFuzzRun(target, run, tally)),
        {
          numRuns,
          ...(seed === undefined ? {} : { seed }),
          endOnFailure: process.env.VOX_FUZZ_SHRINK !== '1',
        },
      );
      const elapsedMs = performance.now() - startedMs;
      const cpu = process.cpuUsage(cpuBefore);

      // The bystander kept talking through the fuzzing, and still can afterwards.
      await bystander.stop();
      const turnsDuring = bystander.turnsCompleted - turnsBefore;
      expect(turnsDuring).toBeGreaterThan(0);
      await bystander.turn();
      expect(bystander.failures).toEqual([]);
      expect(bystander.errors).toEqual([]);
      expect(bystander.turnsCompleted).toBe(turnsBefore + turnsDuring + 1);

      // Every rejection the server counted is one the oracle predicted (or a sentinel).
      expect(server.agent.stats().rejectedMessages).toBe(tally.expectedErrors + tally.sentinels);

      bystander.close();
      const agent = server.agent;
      const openConnections = server.openConnections;
      await waitFor(
        () => agent.stats().sessions === 0 && openConnections() === 0,
        'every session and connection to end',
        10_000,
      );
      expect(agent.stats()).toMatchObject({ connectedSockets: 0, sessions: 0, suspendedSessions: 0 });
      expect(fuzzProviders.openStreams).toBe(0);
      expect(bystanderProviders.openStreams).toBe(0);
      faults.stop();
      expect(faults.unhandledRejections).toEqual([]);
      expect(faults.uncaughtExceptions).toEqual([]);

      if (process.env.VOX_WRITE_BENCH === '1') {
        const families = [...tally.byFamily].sort(([a], [b]) => a.localeCompare(b));
        report('fuzz', [
          result('fuzz.cases', tally.cases, 'messages', `>= ${numRuns}`),
          result('fuzz.runs', tally.runs, 'sockets', `${numRuns}`),
          ...families.map(([family, count]) => result(`fuzz.cases.${family}`, count, 'messages', '> 0')),
          result('fuzz.typed_errors', tally.expectedErrors, 'errors', 'all predicted'),
          result(
            'fuzz.closed_by_socketio',
            tally.closedConnections,
            'connections',
            'only oversized/undecodable',
          ),
          result('fuzz.bystander_turns', turnsDuring, 'turns', '> 0, none failed'),
          result(
            'fuzz.unhandled',
            faults.unhandledRejections.length + faults.uncaughtExceptions.length,
            'count',
            '0',
          ),
          // Client, server and bystander share this process: an upper bound for the server's share.
          result('fuzz.process_cpu_per_case', (cpu.user + cpu.system) / 1000 / tally.cases, 'ms', 'info'),
          result('fuzz.duration', elapsedMs / 1000, 's', 'info'),
        ]);
      }
    },
    timeoutMs,
  );
});
