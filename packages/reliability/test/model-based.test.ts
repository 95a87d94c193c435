import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProcessWatch, type ReliabilitySessionConfig, startReliabilityServer, totalOpen } from '../src/index';
import { commandArbitraries, type Model, type Real } from './model-based-commands';

/**
 * Runs per CI test; `VOX_MODEL_RUNS=200` for a long hunt, `VOX_MODEL_SHRINK=1` to shrink a
 * failure, `VOX_MODEL_SEED`/`VOX_MODEL_PATH` to replay one, `VOX_MODEL_LOG=1` to print each run.
 */
const RUNS = Number(process.env.VOX_MODEL_RUNS ?? 20);
const SLOTS = 5;

/** Session settings that change how turns and barge-in work, drawn per run. */
const sessionConfig: fc.Arbitrary<ReliabilitySessionConfig> = fc
  .record({
    trigger: fc.constantFrom('audio-activity' as const, 'transcript' as const),
    isPreemptive: fc.boolean(),
    hasErrorReply: fc.boolean(),
  })
  .map(({ trigger, isPreemptive, hasErrorReply }) => ({
    interruption: { trigger },
    preemptiveGeneration: { enabled: isPreemptive, minStability: 0.4 },
    ...(hasErrorReply ? { errorReply: { text: 'Sorry, something went wrong.' } } : {}),
  }));

async function settle(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the whole server under random clients and faulty providers (model-based)', () => {
  it('every turn ends as its faults say (answered, or one typed error), with or without fallback chains and flapping providers; resumes keep the session; when everyone has left nothing is open', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commandArbitraries(), { maxCommands: 32, size: 'max' }),
        sessionConfig,
        fc.boolean(),
        async (commands, session, chains) => {
          const watch = new ProcessWatch();
          const server = await startReliabilityServer({
            resumeWindowMs: 1500,
            tts: { msPerChar: 8 },
            session,
            fallbackChains: chains,
          });
          const real: Real = { server, users: [], everyone: [], serial: 0 };
          try {
            await fc.asyncModelRun(() => {
              const model: Model = {
                chains,
                slots: Array.from({ length: SLOTS }, () => ({ state: 'absent' as const })),
              };
              return { model, real };
            }, commands);
            if (process.env.VOX_MODEL_LOG)
              console.log(
                JSON.stringify({ ...session, chains, ...server.providerHealth() }),
                String(commands),
              );

            server.steady(); // flapping primaries come back
            for (const user of real.everyone) user.close();
            // Suspended sessions of dropped clients end when their resume window does.
            await settle(() => totalOpen(server.openHandles()) === 0, 5000);
            expect(server.openHandles()).toEqual({
              sttStreams: 0,
              llmRequests: 0,
              ttsRequests: 0,
              sessionTimers: 0,
              sockets: 0,
              connections: 0,
              sessions: 0,
              unclosedSessions: 0,
            });
            expect(server.ledger.closed).toBe(server.ledger.created);
            expect(server.ledger.problems()).toEqual([]);
          } finally {
            for (const user of real.everyone) user.close();
            await server.close();
            watch.stop();
          }
          await settle(() => watch.resourcesAddedCount() === 0, 3000);
          expect(watch.resourcesAdded()).toEqual({});
          expect(watch.unhandledRejections).toEqual([]);
          expect(watch.uncaughtExceptions).toEqual([]);
        },
      ),
      {
        numRuns: RUNS,
        endOnFailure: !process.env.VOX_MODEL_SHRINK,
        // Replays a failure: the seed and path fast-check printed.
        ...(process.env.VOX_MODEL_SEED ? { seed: Number(process.env.VOX_MODEL_SEED) } : {}),
        ...(process.env.VOX_MODEL_PATH ? { path: process.env.VOX_MODEL_PATH } : {}),
      },
    );
  }, 600_000);
});
