// Observability benchmarks (issue 20): what tracing adds to a turn — with no SDK registered,
// with an SDK whose exporter drops every span, with the in-memory exporter — and what recording
// a call costs in CPU and bytes per session-minute. Each is timed on its own code, driven with
// the events a session emits, so the figure is the added cost itself, not the difference of two
// noisy whole-session runs on a shared machine.
//
// A turn's figure is the wall time of its events on the session's path, GC pauses that fall in
// it included, over 10,000 turns per mode. The event loop turns between turns, as it does in a
// session (audio and sockets come in between): what tracing queued runs there, and the batch
// processor's exports with it. That work is timed too (`deferred`), and the load average of the
// machine at the start and the end is part of the results: the machine is shared.
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { type Tracer, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type {
  LlmEvent,
  LlmProvider,
  SessionEvent,
  SpeechAudio,
  TtsChunk,
  TtsProvider,
  TurnMetrics,
  VoiceSession,
} from '@voxduplex/core';
import { silence, sineTone, tokenize } from '@voxduplex/core/testing';
import { CallRecorder } from '@voxduplex/recording';
import { traceLlm, traceSession, traceTts } from '@voxduplex/tracing';
import { from, of, Subject } from 'rxjs';
import { type BenchResult, quantile, report, result } from './harness';

const REPLY = 'Sure, here is the plan. We meet at nine in the lobby, then walk to the museum together.';
const SENTENCES = [
  'Sure, here is the plan.',
  'We meet at nine in the lobby, then walk to the museum together.',
];
const CHUNKS_PER_TURN = 40;

// Providers that answer at once from prepared values: what is timed is the tracing around them.
const LLM_EVENTS: LlmEvent[] = [
  ...tokenize(REPLY).map((text): LlmEvent => ({ type: 'token', text })),
  { type: 'done', finishReason: 'stop', usage: { inputTokens: 40, outputTokens: 18 } },
];
const INSTANT_LLM: LlmProvider = {
  specificationVersion: 'v1',
  name: 'instant',
  model: 'instant-1',
  generate: () => from(LLM_EVENTS),
};
const TTS_CHUNK: TtsChunk = { samples: new Int16Array(1600), sampleRate: 16000 };
const INSTANT_TTS: TtsProvider = {
  specificationVersion: 'v1',
  name: 'instant',
  sampleRate: 16000,
  synthesize: () => of(TTS_CHUNK, TTS_CHUNK),
};

/** An exporter that drops every span: the SDK's own cost, with nothing shipped. */
class DroppingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/** What a recorder or a tracer reads of a session: its id and its events. */
function eventSource(id: string) {
  const events$ = new Subject<SessionEvent>();
  const session = { id, isClosed: false, events$: events$.asObservable() } as unknown as VoiceSession;
  return { session, emit: (event: SessionEvent) => events$.next(event), close: () => events$.complete() };
}

/** The `seq`th 100 ms chunk of a speech's audio. */
function agentAudio(turnId: string, speechId: string, samples: Int16Array, seq: number): SessionEvent {
  const audio: SpeechAudio = {
    turnId,
    speechId,
    samples,
    sampleRate: 16000,
    channels: 1,
    seq,
    offsetMs: seq * 100,
    durationMs: 100,
    sentenceIndex: 0,
  };
  return { type: 'audio', audio };
}

/** A speech played out whole. */
function speechEnded(turnId: string, speechId: string, playedMs: number): SessionEvent {
  return {
    type: 'speech-end',
    turnId,
    speechId,
    interrupted: false,
    heardText: REPLY,
    text: REPLY,
    playedMs,
  };
}

/** `off`: the same turn with nothing traced, the baseline the others add to. */
type Mode = 'off' | 'no-sdk' | 'noop-exporter' | 'memory-exporter';

function tracerFor(mode: Mode): { tracer: Tracer; reset: () => void } {
  if (mode === 'no-sdk' || mode === 'off') return { tracer: trace.getTracer('bench'), reset: () => {} };
  const memory = new InMemorySpanExporter();
  // As an app would ship spans (batched, off the turn's path) vs. as a test reads them (each at its end).
  const processor =
    mode === 'memory-exporter'
      ? new SimpleSpanProcessor(memory)
      : new BatchSpanProcessor(new DroppingExporter());
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('bench'), reset: () => memory.reset() };
}

/** A turn's time on the session's path, and the time of the loop turn after it (queued span work, exports). */
interface TurnTiming {
  readonly onPathMs: number;
  readonly afterMs: number;
}

const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Per turn, the time tracing spends on it: the events of a spoken turn with a two-sentence
 * reply through `traceSession`, and its LLM request and two TTS requests through the decorators
 * (providers answering at once from prepared values).
 */
async function tracedTurns(mode: Mode, sessions: number, turnsPerSession: number): Promise<TurnTiming[]> {
  const { tracer, reset } = tracerFor(mode);
  const llm = mode === 'off' ? INSTANT_LLM : traceLlm(INSTANT_LLM, { tracer });
  const tts = mode === 'off' ? INSTANT_TTS : traceTts(INSTANT_TTS, { tracer });
  const samples = new Int16Array(1600);
  const perTurn: TurnTiming[] = [];
  for (let s = 0; s < sessions; s++) {
    const source = eventSource(`session_${s}`);
    if (mode !== 'off') traceSession(source.session, { tracer });
    for (let turn = 0; turn < turnsPerSession; turn++) {
      const turnId = `turn_${s}_${turn}`;
      const speechId = `speech_${s}_${turn}`;
      const origin = { sessionId: source.session.id, turnId, speechId };
      const started = performance.now();
      source.emit({
        type: 'state',
        state: { agent: 'listening', user: 'speaking', phase: 'user-speaking' },
        previous: { agent: 'listening', user: 'listening', phase: 'listening' },
      });
      source.emit({ type: 'transcript', transcript: { text: 'what is the plan', isFinal: true } });
      source.emit({ type: 'user-turn', turnId, text: 'what is the plan' });
      llm.generate({ messages: [{ role: 'user', content: 'what is the plan' }], origin }).subscribe();
      source.emit({ type: 'speech-start', turnId, speechId, allowInterruptions: true });
      for (const sentence of SENTENCES) tts.synthesize(sentence, { origin }).subscribe();
      for (let seq = 0; seq < CHUNKS_PER_TURN; seq++) {
        source.emit(agentAudio(turnId, speechId, samples, seq));
      }
      source.emit(speechEnded(turnId, speechId, 4000));
      const metrics: TurnMetrics = {
        turnId,
        speechId,
        llmTtftMs: 300,
        ttsTtfbMs: 150,
        serverTtfaMs: 900,
        preemptiveWasted: 0,
        audioMs: 4000,
        interrupted: false,
      };
      source.emit({ type: 'metrics', metrics });
      const ended = performance.now();
      await nextLoopTurn();
      perTurn.push({ onPathMs: ended - started, afterMs: performance.now() - ended });
    }
    source.close();
    reset();
  }
  return perTurn;
}

/**
 * Recording `minutes` of a call on a virtual clock: the microphone every 20 ms, and every 20 s
 * a 5-second agent speech in 100 ms chunks. Returns the wall time the recorder took, the bytes
 * of WAV and of journal it wrote.
 */
function recordedMinutes(minutes: number): { ms: number; bytes: number; journalBytes: number } {
  let clockMs = 0;
  let bytes = 0;
  let journalBytes = 0;
  const recorder = new CallRecorder({
    sink: {
      write: (chunk) => {
        bytes += chunk.byteLength;
      },
      journal: (lines) => {
        journalBytes += Buffer.byteLength(lines);
      },
      finish: async () => {},
    },
    now: () => clockMs,
  });
  const source = eventSource('recorded');
  const mic = silence(20, 16000);
  const chunk = sineTone(100, 16000);
  const started = performance.now();
  recorder.attach(source.session);
  for (let tick = 1; tick <= minutes * 3000; tick++) {
    clockMs = tick * 20;
    recorder.hearUser({ samples: mic, sampleRate: 16000, channels: 1, startMs: clockMs - 20 });
    const inCycle = clockMs % 20_000;
    const turnId = `turn_${Math.floor(clockMs / 20_000)}`;
    const speechId = `speech_${turnId}`;
    if (inCycle === 4000) source.emit({ type: 'speech-start', turnId, speechId, allowInterruptions: true });
    if (inCycle >= 4000 && inCycle < 9000 && inCycle % 100 === 0) {
      const seq = (inCycle - 4000) / 100;
      source.emit(agentAudio(turnId, speechId, chunk, seq));
    }
    if (inCycle === 9200) source.emit(speechEnded(turnId, speechId, 5000));
  }
  source.close();
  return { ms: performance.now() - started, bytes, journalBytes };
}

export default async function observabilityBench(): Promise<readonly BenchResult[]> {
  const loadAtStart = loadavg()[0]!;
  const modes: Mode[] = ['off', 'no-sdk', 'noop-exporter', 'memory-exporter'];
  for (const mode of modes) await tracedTurns(mode, 10, 100); // warm up the JIT
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  // Interleaved rounds, so drift (GC, frequency, neighbours) falls on every mode alike.
  const samples = new Map<Mode, TurnTiming[]>(modes.map((mode) => [mode, []]));
  for (let round = 0; round < 20; round++)
    for (const mode of modes) samples.get(mode)!.push(...(await tracedTurns(mode, 5, 100)));
  gcObserver.disconnect();
  const p = (mode: Mode, q: number) =>
    quantile(
      samples.get(mode)!.map((turn) => turn.onPathMs),
      q,
    );
  /** What tracing adds at quantile q: the traced turn's minus the untraced one's. */
  const added = (mode: Mode, q: number) => p(mode, q) - p('off', q);
  const after = (mode: Mode, q: number) =>
    quantile(
      samples.get(mode)!.map((turn) => turn.afterMs),
      q,
    );
  /** The span work tracing does after the turn, off its path, at quantile q. */
  const deferred = (mode: Mode, q: number) => after(mode, q) - after('off', q);

  recordedMinutes(2); // warm up
  const minutes = 10;
  const runs = [0, 1, 2].map(() => recordedMinutes(minutes));
  const cpuPerMinute = Math.min(...runs.map((run) => run.ms)) / minutes;

  const results = [
    result('observability.turn.untraced.p50', p('off', 0.5), 'ms', 'informational'),
    result('observability.turn.untraced.p99', p('off', 0.99), 'ms', 'informational'),
    result('observability.loadavg_1m.start', loadAtStart, 'load', 'informational'),
    result('observability.loadavg_1m.end', loadavg()[0]!, 'load', 'informational'),
    result('observability.tracing.gc_pauses', gcPauses.length, 'count', 'informational'),
    result('observability.tracing.gc_pause.max', Math.max(0, ...gcPauses), 'ms', 'informational'),
    result('observability.tracing.no_sdk.added.p50', added('no-sdk', 0.5), 'ms', 'informational'),
    result('observability.tracing.no_sdk.added.p99', added('no-sdk', 0.99), 'ms', '< 0.05'),
    result(
      'observability.tracing.noop_exporter.added.p50',
      added('noop-exporter', 0.5),
      'ms',
      'informational',
    ),
    result('observability.tracing.noop_exporter.added.p99', added('noop-exporter', 0.99), 'ms', '< 0.05'),
    result(
      'observability.tracing.noop_exporter.deferred.p50',
      deferred('noop-exporter', 0.5),
      'ms',
      'informational',
    ),
    result(
      'observability.tracing.noop_exporter.deferred.p99',
      deferred('noop-exporter', 0.99),
      'ms',
      'informational',
    ),
    result(
      'observability.tracing.memory_exporter.added.p50',
      added('memory-exporter', 0.5),
      'ms',
      'informational',
    ),
    result(
      'observability.tracing.memory_exporter.added.p99',
      added('memory-exporter', 0.99),
      'ms',
      'informational',
    ),
    result('observability.recording.cpu_per_session_minute', cpuPerMinute, 'ms', 'informational'),
    result('observability.recording.bytes_per_minute', runs[0]!.bytes / minutes, 'bytes', 'informational'),
    result(
      'observability.recording.journal_bytes_per_minute',
      runs[0]!.journalBytes / minutes,
      'bytes',
      'informational',
    ),
  ];
  report('observability', results);
  return results;
}
