// Flite TTS time to first audio byte: from `synthesize(...).subscribe()` to the first chunk, for
// ten-word sentences with a warm pool of one worker: started, warmed up, and its next Flite
// instance prepared, as it is when a reply's first sentence arrives. A pause between sentences
// (`GAP_MS`) lets the worker prepare; back to back, a sentence would also wait for that (~50 ms),
// which only the second and later sentences of a reply do, long before they are heard.
// Build core and tts-flite first.
// Also prints, for information, the event-loop delay while synthesis runs (it runs in a worker).
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FliteTts } from '@voxduplex/tts-flite';
import { type BenchResult, quantile, report, result } from './harness';

const WARMUP = 5;
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog today.',
  'Please remember to buy some milk on the way home.',
  'It is going to be a sunny day with light wind.',
  'Our meeting has moved to three o clock this afternoon.',
  'She opened the window and listened to the birds sing.',
  'The train to the city leaves every twenty minutes now.',
  'I can tell you the time or a short story.',
  'Turn left at the next corner and then go straight.',
  'The library closes early on Sundays and public holidays.',
  'He painted the old fence a bright shade of green.',
  'Your package should arrive sometime between noon and five.',
  'We walked along the beach until the sun went down.',
  'Add two cups of flour and stir the mixture slowly.',
  'The concert was so loud that my ears are ringing.',
  'Please speak slowly so that everyone can follow the story.',
  'A small boat drifted quietly across the calm blue lake.',
  'The children built a tall tower out of wooden blocks.',
  'My phone battery died just before the important call started.',
  'Coffee tastes better when you share it with a friend.',
  'The museum has a new exhibition about ancient Egyptian art.',
];
const ROUNDS = 3;
const GAP_MS = 250;
const pause = () => new Promise((resolve) => setTimeout(resolve, GAP_MS));

function timeToFirstChunk(tts: FliteTts, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let firstAt = Number.NaN;
    tts.synthesize(text).subscribe({
      next: () => {
        if (Number.isNaN(firstAt)) firstAt = performance.now();
      },
      error: reject,
      complete: () => resolve(firstAt - startedAt),
    });
  });
}

export default async function localTtsBench(): Promise<readonly BenchResult[]> {
  const tts = new FliteTts({ poolSize: 1 });
  try {
    await tts.warmUp();
    for (let i = 0; i < WARMUP; i++) {
      await timeToFirstChunk(tts, SENTENCES[i]!);
      await pause();
    }
    // Baseline first: on a shared machine the loop is late even when nothing runs on it.
    const idleDelay = monitorEventLoopDelay({ resolution: 5 });
    idleDelay.enable();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    idleDelay.disable();
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const ttfbMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (const sentence of SENTENCES) {
        ttfbMs.push(await timeToFirstChunk(tts, sentence));
        await pause();
      }
    loopDelay.disable();
    console.log(
      `local-tts: ${ttfbMs.length} sentences, ttfb p50 ${quantile(ttfbMs, 0.5).toFixed(1)} ms, ` +
        `p95 ${quantile(ttfbMs, 0.95).toFixed(1)} ms, max ${Math.max(...ttfbMs).toFixed(1)} ms; ` +
        `event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms while synthesizing, ` +
        `${(idleDelay.percentile(99) / 1e6).toFixed(1)} ms idle; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    const results = [result('local.tts.ttfb.p50', quantile(ttfbMs, 0.5), 'ms', '< 100')];
    report('local-tts', results);
    return results;
  } finally {
    await tts.close();
  }
}
