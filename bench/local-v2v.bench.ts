// Voice to voice on the local stack (PocketSphinx + Silero VAD → demo brain → Flite), through a
// real session fed in real time by a simulated microphone:
// - `local.v2v.p50` / `.p95`: the user's voice ends (the microphone pushes the frame holding the
//   last voiced sample) → the first audio chunk of the reply leaves the session, over ≥ 20 turns
//   with questions in two Flite voices (rms, awb) unlike the agent's slt. The demo brain waits
//   its default 150 ms before the first token, standing in for a fast hosted LLM. Once the first
//   chunk is out the reply is interrupted (`session.interrupt()`) so the next turn can start.
//   The stack's defaults are measured: the reply starts (held back) at a pause in the
//   voice and is released when the turn is confirmed (300 ms of silence + 100 ms endpoint delay);
//   the breakdown says how many turns an early reply answered and how many early starts were
//   thrown away (`preemptiveWasted`).
// - `local.eventloop_delay.p99`: `monitorEventLoopDelay` while 4 sessions talk at once (each
//   asks a question and hears the answer, asks for a story, talks over it, hears the answer).
// Prints the load average: figures on a shared 2-core machine move with it.
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  createVoiceSession,
  type LlmProvider,
  type SessionEvent,
  type TurnMetrics,
  type VoiceSession,
} from '@voxduplex/core';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import { SimulatedMicrophone, speakAsUser } from '@voxduplex/offline-e2e';
import { asyncScheduler, filter, firstValueFrom, timeout } from 'rxjs';
import { SimulatedPlayer } from '../scripts/demo/simulated-player';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const QUESTIONS = [
  'what time is it',
  'hello there',
  'what is the weather like today',
  'please tell me a story',
  'good morning',
  'what time is it now',
];
const ROUNDS = 2; // × 6 questions × 2 voices = 24 turns
const GAP_MS = 600;
const STEP_TIMEOUT_MS = 20_000;
const CONCURRENT_SESSIONS = 4;
/** Parts of the session's own latency breakdown printed for information (medians). */
const BREAKDOWN = [
  'endOfUtteranceDelayMs',
  'sttFinalDelayMs',
  'llmTtftMs',
  'textAggregationMs',
  'ttsTtfbMs',
] as const satisfies readonly (keyof TurnMetrics)[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

function nextEvent<T extends SessionEvent['type']>(
  session: VoiceSession,
  type: T,
  predicate: (event: Extract<SessionEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<SessionEvent, { type: T }>> {
  return firstValueFrom(
    session.events$.pipe(
      filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type),
      filter(predicate),
      timeout(STEP_TIMEOUT_MS),
    ),
  );
}

async function listening(session: VoiceSession): Promise<void> {
  if (session.state.agent !== 'listening')
    await nextEvent(session, 'state', (e) => e.state.agent === 'listening');
}

interface Talker {
  readonly session: VoiceSession;
  readonly microphone: SimulatedMicrophone;
  readonly player: SimulatedPlayer;
  /** When each LLM request was sent (`performance.now()`). */
  readonly llmRequestsAt: readonly number[];
  close(): void;
}

/** The stack's LLM, noting when each request is sent (tells early replies from late ones). */
function timedLlm(llm: LlmProvider, requestsAt: number[]): LlmProvider {
  return {
    specificationVersion: llm.specificationVersion,
    name: llm.name,
    generate: (request) => {
      requestsAt.push(performance.now());
      return llm.generate(request);
    },
  };
}

function openTalker(stack: LocalStack): Talker {
  const llmRequestsAt: number[] = [];
  const session = createVoiceSession({
    ...stack.sessionConfig,
    llm: timedLlm(stack.sessionConfig.llm, llmRequestsAt),
  });
  const player = new SimulatedPlayer(session, asyncScheduler);
  const microphone = new SimulatedMicrophone((chunk) => session.pushAudio(chunk));
  microphone.start();
  return {
    session,
    microphone,
    player,
    llmRequestsAt,
    close() {
      microphone.stop();
      player.stop();
      session.close('bench over');
    },
  };
}

/** End of the user's voice → first reply chunk, per turn; missed questions are counted apart. */
async function measureTurns(stack: LocalStack, questions: Int16Array[]) {
  const talker = openTalker(stack);
  const { session, microphone } = talker;
  const v2vMs: number[] = [];
  const serverTtfaMs: number[] = [];
  /** Voice end → the recognizer's speech-end reaches the session (the detector's silence wait). */
  const detectorMs: number[] = [];
  /** Voice end → the turn is confirmed (`user-turn`). */
  const turnMs: number[] = [];
  /** Turn confirmed → first reply chunk out (what is left of the reply's work). */
  const afterTurnMs: number[] = [];
  /** How long before the turn an early reply that answered it was started. */
  const leadMs: number[] = [];
  const parts = new Map<string, number[]>();
  let missed = 0;
  let wasted = 0;
  try {
    await sleep(2000); // the decoder loads while the microphone sends silence
    for (const question of questions) {
      const turn = nextEvent(session, 'user-turn').then((e) => ({ ...e, at: performance.now() }));
      const firstAudio = nextEvent(session, 'audio').then(() => performance.now());
      firstAudio.catch(() => {});
      const userStopped = nextEvent(
        session,
        'state',
        (e) => e.previous.user === 'speaking' && e.state.user === 'listening',
      ).then(() => performance.now());
      userStopped.catch(() => {});
      const { voiceEndedAt } = await microphone.say(question);
      try {
        const { turnId, text, at: turnAt } = await turn;
        const metrics = nextEvent(session, 'metrics', (e) => e.metrics.turnId === turnId);
        const audioAt = await firstAudio;
        v2vMs.push(audioAt - voiceEndedAt);
        detectorMs.push((await userStopped) - voiceEndedAt);
        turnMs.push(turnAt - voiceEndedAt);
        afterTurnMs.push(audioAt - turnAt);
        // The request that answered: the last one sent; before the turn, it was an early reply.
        const answeredBy = talker.llmRequestsAt.at(-1) ?? turnAt;
        if (answeredBy < turnAt) leadMs.push(turnAt - answeredBy);
        session.interrupt();
        const { metrics: m } = await metrics;
        wasted += m.preemptiveWasted;
        if (m.serverTtfaMs !== undefined) serverTtfaMs.push(m.serverTtfaMs);
        // VOXDUPLEX_BENCH_TRACE=1 prints each turn, to see where a slow one lost its time.
        if (process.env.VOXDUPLEX_BENCH_TRACE) {
          const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));
          console.log(
            `  turn "${text}": v2v ${ms(audioAt - voiceEndedAt)}, speech-end ${ms(detectorMs.at(-1))}, ` +
              `turn ${ms(turnAt - voiceEndedAt)}, early ${ms(answeredBy < turnAt ? turnAt - answeredBy : undefined)}, ` +
              `wasted ${m.preemptiveWasted}, llm ${ms(m.llmTtftMs)}, sentence ${ms(m.textAggregationMs)}, tts ${ms(m.ttsTtfbMs)}`,
          );
        }
        for (const key of BREAKDOWN) {
          const value = m[key];
          if (typeof value === 'number') parts.set(key, [...(parts.get(key) ?? []), value]);
        }
      } catch {
        missed++; // nothing recognized (or no reply) within STEP_TIMEOUT_MS
      }
      await listening(session);
      await sleep(GAP_MS);
    }
  } finally {
    talker.close();
  }
  return { v2vMs, serverTtfaMs, detectorMs, turnMs, afterTurnMs, leadMs, parts, missed, wasted };
}

/** One session's conversation: answer heard in full, a story cut by a question, that answer heard. */
async function converse(talker: Talker, [question, storyRequest, interruption]: Int16Array[]) {
  const { session, microphone } = talker;
  const answered = nextEvent(session, 'speech-end');
  await microphone.say(question!);
  await answered.catch(() => {});
  await listening(session).catch(() => {});
  const story = nextEvent(session, 'audio');
  await microphone.say(storyRequest!);
  const storyId = await story.then((e) => e.audio.speechId).catch(() => '');
  await sleep(3000);
  const cutAnswered = nextEvent(session, 'speech-end', (e) => e.speechId !== storyId);
  await microphone.say(interruption!);
  await cutAnswered.catch(() => {});
  await listening(session).catch(() => {});
}

async function measureEventLoop(stack: LocalStack, voices: Int16Array[][]): Promise<number> {
  const talkers = Array.from({ length: CONCURRENT_SESSIONS }, () => openTalker(stack));
  try {
    await sleep(4000); // four decoders load
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await Promise.all(
      talkers.map(async (talker, i) => {
        await sleep(i * 700); // people do not all start talking at the same instant
        await converse(talker, voices[i % voices.length]!);
      }),
    );
    delay.disable();
    return delay.percentile(99) / 1e6;
  } finally {
    for (const talker of talkers) talker.close();
  }
}

export default async function localV2vBench(): Promise<readonly BenchResult[]> {
  console.log(`local-v2v: load average before ${load()}`);
  const rms = await speakAsUser(QUESTIONS, 'rms');
  const awb = await speakAsUser(QUESTIONS, 'awb');
  const questions = Array.from({ length: ROUNDS }, () =>
    QUESTIONS.flatMap((_, i) => [rms[i]!, awb[i]!]),
  ).flat();
  const stack = createLocalStack({ ttsPoolSize: 1 });
  try {
    await stack.warmUp();
    const turns = await measureTurns(stack, questions);
    const median = (values: readonly number[]) => quantile(values, 0.5).toFixed(0);
    console.log(
      `local-v2v: ${turns.v2vMs.length} turns answered, ${turns.missed} missed; load average ${load()}\n` +
        `  medians (ms): voice end → speech-end event ${median(turns.detectorMs)}, → turn confirmed ` +
        `${median(turns.turnMs)}; turn → first reply chunk ${median(turns.afterTurnMs)}\n` +
        `  early replies: ${turns.leadMs.length} of ${turns.v2vMs.length} turns answered by one started ` +
        `${median(turns.leadMs)} ms (median) before the turn; ${turns.wasted} early starts thrown away\n` +
        `  session metrics (medians, ms): ` +
        [...turns.parts].map(([key, values]) => `${key} ${median(values)}`).join(', ') +
        `, serverTtfaMs ${median(turns.serverTtfaMs)}`,
    );
    const conversation = [rms[0]!, rms[3]!, rms[5]!];
    const otherVoice = [awb[0]!, awb[3]!, awb[5]!];
    const eventLoopP99 = await measureEventLoop(stack, [conversation, otherVoice]);
    console.log(`local-v2v: load average after ${load()}`);
    const results = [
      ...quantileResults('local.v2v', turns.v2vMs, 'ms', { p50: '< 600', p95: '< 800' }),
      result('local.eventloop_delay.p99', eventLoopP99, 'ms', '< 20'),
    ];
    report('local-v2v', results);
    return results;
  } finally {
    await stack.close();
  }
}
