// Fallback chains (issue 17): how long a request waits between its provider's failure and the
// first output of the next provider, with zero-latency fakes — the chain's own cost of a switch.
import {
  type AudioFrame,
  fallbackLlm,
  fallbackStt,
  fallbackTts,
  type LlmEvent,
  type LlmProvider,
  ProviderUnavailableError,
  type SttEvent,
  type SttProvider,
  type TtsChunk,
  type TtsProvider,
} from '@voxduplex/core';
import { silence, tokenize } from '@voxduplex/core/testing';
import { Observable, Subject } from 'rxjs';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const now = () => performance.now();
const REPLY = tokenize('Sure, the backup answers at once with a short sentence.');
/** Audio since the last final that a failed recognizer hands over (replayed to the next one). */
const REPLAYED_MS = 5000;

/** When the failing provider raised its error; each failure stamps it. */
let failedAt = 0;

/** Fails each request (or stream) on the next turn of the event loop, as a dropped socket would. */
function failing<T>(): Observable<T> {
  return new Observable<T>((subscriber) => {
    const timer = setImmediate(() => {
      failedAt = now();
      subscriber.error(new ProviderUnavailableError('connection reset', { source: 'bench:primary' }));
    });
    return () => clearImmediate(timer);
  });
}

const failingLlm: LlmProvider = { specificationVersion: 'v1', name: 'primary', generate: () => failing() };
const instantLlm: LlmProvider = {
  specificationVersion: 'v1',
  name: 'backup',
  generate: () =>
    new Observable<LlmEvent>((subscriber) => {
      for (const text of REPLY) subscriber.next({ type: 'token', text });
      subscriber.next({ type: 'done', finishReason: 'stop' });
      subscriber.complete();
    }),
};

const failingTts: TtsProvider = {
  specificationVersion: 'v1',
  name: 'primary',
  sampleRate: 16000,
  synthesize: () => failing(),
};
const chunk = silence(20, 16000);
const instantTts: TtsProvider = {
  specificationVersion: 'v1',
  name: 'backup',
  sampleRate: 16000,
  synthesize: () =>
    new Observable<TtsChunk>((subscriber) => {
      subscriber.next({ samples: chunk, sampleRate: 16000 });
      subscriber.complete();
    }),
};

/** A recognizer whose stream fails once it has heard `REPLAYED_MS` of audio. */
const failingStt: SttProvider = {
  specificationVersion: 'v1',
  name: 'primary',
  sampleRate: 16000,
  transcribe: (audio$) =>
    new Observable<SttEvent>((subscriber) =>
      audio$.subscribe((frame) => {
        if (frame.startMs + 20 < REPLAYED_MS) return;
        failedAt = now();
        subscriber.error(new ProviderUnavailableError('stream reset', { source: 'stt:primary' }));
      }),
    ),
};
/** A recognizer that says something at the end of the audio it is handed (the replay's last frame). */
const instantStt: SttProvider = {
  specificationVersion: 'v1',
  name: 'backup',
  sampleRate: 16000,
  transcribe: (audio$) =>
    new Observable<SttEvent>((subscriber) =>
      audio$.subscribe((frame) => {
        if (frame.startMs + 20 < REPLAYED_MS) return;
        subscriber.next({ type: 'interim', transcript: { text: 'what is', isFinal: false, startMs: 0 } });
      }),
    ),
};

/** A request, and what to do once it is subscribed (feed a recognizer its microphone). */
interface Trial {
  readonly output$: Observable<unknown>;
  readonly afterSubscribe?: () => void;
}

/** One request per fresh chain (so each one meets a healthy primary and switches). */
async function switches(runs: number, trial: () => Trial): Promise<number[]> {
  const spans: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { output$, afterSubscribe } = trial();
    const span = await new Promise<number>((resolve, reject) => {
      const subscription = output$.subscribe({
        next: () => {
          subscription.unsubscribe();
          resolve(now() - failedAt);
        },
        error: reject,
      });
      afterSubscribe?.();
    });
    spans.push(span);
  }
  return spans;
}

const frames: AudioFrame[] = Array.from({ length: REPLAYED_MS / 20 + 1 }, (_, i) => ({
  samples: chunk,
  sampleRate: 16000,
  channels: 1,
  startMs: i * 20,
}));
const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

async function measure(runs: number) {
  const llm = await switches(runs, () => ({
    output$: fallbackLlm([failingLlm, instantLlm]).generate(request),
  }));
  const tts = await switches(runs, () => ({
    output$: fallbackTts([failingTts, instantTts]).synthesize('Hello there.'),
  }));
  const stt = await switches(runs, () => {
    const mic = new Subject<AudioFrame>();
    return {
      output$: fallbackStt([failingStt, instantStt]).transcribe(mic),
      afterSubscribe: () => {
        for (const frame of frames) if (!mic.closed) mic.next(frame);
      },
    };
  });
  return { llm, tts, stt };
}

export default async function fallbackBench(): Promise<readonly BenchResult[]> {
  await measure(200); // warm up the JIT
  const { llm, tts, stt } = await measure(2000);
  const all = [...llm, ...tts, ...stt];
  const results = [
    ...quantileResults('providers.fallback_switch_ms', all, 'ms', { p50: 'informational', p99: '< 5' }),
    result('providers.fallback_switch_ms.llm.p99', quantile(llm, 0.99), 'ms', '< 5'),
    result('providers.fallback_switch_ms.tts.p99', quantile(tts, 0.99), 'ms', '< 5'),
    // The recognizer's switch includes replaying 5 s of audio (250 frames) to the next one.
    result('providers.fallback_switch_ms.stt_replay_5s.p99', quantile(stt, 0.99), 'ms', '< 5'),
  ];
  report('fallback', results);
  return results;
}
