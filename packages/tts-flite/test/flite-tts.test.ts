import {
  ConfigError,
  ProviderRequestError,
  ProviderUnavailableError,
  type TtsChunk,
  VoxError,
} from '@voxduplex/core';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FliteTts, type FliteTtsOptions } from '../src/index';
import { concatSamples, durationSeconds, rmsLevel, wordsPerMinute } from './audio-measures';

const providers: FliteTts[] = [];
function flite(options: FliteTtsOptions = {}): FliteTts {
  const tts = new FliteTts(options);
  providers.push(tts);
  return tts;
}

afterEach(async () => {
  await Promise.all(providers.splice(0).map((tts) => tts.close()));
});

// Tests that do not count workers share one provider: each new one starts a worker (~0.5 s).
let shared: FliteTts;
beforeAll(async () => {
  shared = new FliteTts();
  await shared.warmUp();
});
afterAll(() => shared.close());

function collect(chunks$: Observable<TtsChunk>): Promise<TtsChunk[]> {
  return lastValueFrom(chunks$.pipe(toArray()));
}

function failure(chunks$: Observable<TtsChunk>): Promise<unknown> {
  return collect(chunks$).then(
    () => {
      throw new Error('expected the synthesis to fail');
    },
    (error: unknown) => error,
  );
}

/** Resolves after `ms` of real time: long enough for a terminated worker to have sent anything it had. */
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FliteTts', () => {
  it('speaks a sentence as 16 kHz chunks of 20–100 ms whose length matches the text', async () => {
    const tts = shared;
    const text = 'Hello, I am your offline voice assistant, running without any cloud service.';
    const chunks = await collect(tts.synthesize(text));
    expect(tts.sampleRate).toBe(16000);
    expect(chunks.every((chunk) => chunk.sampleRate === 16000 && chunk.channels === 1)).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.samples.length === 640)).toBe(true);
    expect(chunks.at(-1)!.samples.length).toBeGreaterThan(0);
    expect(chunks.at(-1)!.samples.length).toBeLessThanOrEqual(640);
    const samples = concatSamples(chunks.map((chunk) => chunk.samples));
    const wpm = wordsPerMinute(text, durationSeconds(samples.length, 16000));
    expect(wpm).toBeGreaterThan(100);
    expect(wpm).toBeLessThan(260);
    expect(rmsLevel(samples)).toBeGreaterThan(300);
  });

  it('speaks longer texts for longer, in proportion to their words', async () => {
    const tts = shared;
    const short = 'Good morning to you.';
    const long = 'Good morning to you. It is a fine day to talk about the weather, the news and the sport.';
    const [shortChunks, longChunks] = [
      await collect(tts.synthesize(short)),
      await collect(tts.synthesize(long)),
    ];
    const seconds = (chunks: TtsChunk[]) => chunks.reduce((sum, c) => sum + c.samples.length, 0) / 16000;
    for (const [text, chunks] of [
      [short, shortChunks],
      [long, longChunks],
    ] as const) {
      expect(wordsPerMinute(text, seconds(chunks))).toBeGreaterThan(90);
      expect(wordsPerMinute(text, seconds(chunks))).toBeLessThan(260);
    }
    expect(seconds(longChunks)).toBeGreaterThan(seconds(shortChunks) * 3);
  });

  it('carries the real sample rate of the chosen voice on every chunk', async () => {
    const tts = shared;
    const chunks = await collect(tts.synthesize('Telephone quality voice.', { voice: 'kal' }));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((chunk) => chunk.sampleRate === 8000 && chunk.samples.length <= 320)).toBe(true);
  });

  it('speaks faster with a higher speaking rate', async () => {
    const text = 'Speed changes how long this sentence takes to say.';
    const normal = await collect(shared.synthesize(text));
    const fast = await collect(flite({ speakingRate: 1.5 }).synthesize(text, { speakingRate: 1.2 }));
    const length = (chunks: TtsChunk[]) => chunks.reduce((sum, c) => sum + c.samples.length, 0);
    expect(length(fast) / length(normal)).toBeGreaterThan(0.4);
    expect(length(fast) / length(normal)).toBeLessThan(0.7);
  });

  it('completes at once with no audio for empty or blank text', async () => {
    const tts = flite();
    expect(await collect(tts.synthesize('   '))).toEqual([]);
    expect(tts.workers.started).toBe(0);
  });

  it('stops the audio of a cancelled request and keeps no worker beyond the pool', async () => {
    const tts = flite({ poolSize: 1 });
    await tts.warmUp();
    expect(tts.workers).toEqual({ started: 1, exited: 0, live: 1 });
    const story = Array.from(
      { length: 12 },
      (_, i) => `This is sentence number ${i + 1} of a long story.`,
    ).join(' ');
    const received: TtsChunk[] = [];
    let isCancelled = false;
    const subscription = tts.synthesize(story).subscribe((chunk) => {
      expect(isCancelled).toBe(false);
      received.push(chunk);
      if (received.length === 3) {
        isCancelled = true;
        subscription.unsubscribe();
      }
    });
    await settle(300);
    expect(received).toHaveLength(3);
    // The busy worker was terminated and one warm replacement started: never more than the pool.
    await expect.poll(() => tts.workers.exited).toBe(1);
    expect(tts.workers).toEqual({ started: 2, exited: 1, live: 1 });
    // The replacement works.
    expect((await collect(tts.synthesize('Still here.'))).length).toBeGreaterThan(0);
    expect(tts.workers.live).toBe(1);
  });

  it('cancels a request before its worker is even ready, and sends nothing', async () => {
    const tts = flite();
    const received: TtsChunk[] = [];
    tts
      .synthesize('Never heard.')
      .subscribe((chunk) => received.push(chunk))
      .unsubscribe();
    await settle(200);
    await tts.warmUp();
    expect(received).toEqual([]);
    expect(tts.workers.live).toBe(1);
  });

  it('runs overlapping requests on extra workers, reuses them, then shrinks back to the pool size', async () => {
    const tts = flite({ poolSize: 1, extraWorkerIdleMs: 1500 });
    const texts = ['First of three.', 'Second of three.', 'Third of three.'];
    const speakAll = () => Promise.all(texts.map((text) => collect(tts.synthesize(text))));
    expect((await speakAll()).every((chunks) => chunks.length > 0)).toBe(true);
    expect(tts.workers.started).toBe(3);
    // A second burst right away finds the extra workers still warm.
    expect((await speakAll()).every((chunks) => chunks.length > 0)).toBe(true);
    expect(tts.workers.started).toBe(3);
    // Idle beyond extraWorkerIdleMs, the extras stop; the pool's own worker stays.
    await expect.poll(() => tts.workers.live, { timeout: 10_000 }).toBe(1);
    expect(tts.workers).toEqual({ started: 3, exited: 2, live: 1 });
  });

  it('stops extra workers at once with extraWorkerIdleMs 0', async () => {
    const tts = flite({ poolSize: 1, extraWorkerIdleMs: 0 });
    await Promise.all(['One.', 'Two.'].map((text) => collect(tts.synthesize(text))));
    expect(tts.workers.started).toBe(2);
    await expect.poll(() => tts.workers.live).toBe(1);
  });

  it('fails running syntheses on close, leaves no worker thread, and refuses work afterwards', async () => {
    const tts = flite({ poolSize: 2 });
    await tts.warmUp();
    const story = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} of a story cut short.`).join(' ');
    let isFirstChunk = true;
    const running = new Promise<unknown>((resolve) => {
      tts.synthesize(story).subscribe({
        next: () => {
          if (isFirstChunk) void tts.close();
          isFirstChunk = false;
        },
        error: resolve,
        complete: () => resolve('completed'),
      });
    });
    const closedWhileRunning = await running;
    expect(closedWhileRunning).toBeInstanceOf(ProviderUnavailableError);
    expect((closedWhileRunning as VoxError).retryable).toBe(false);
    await tts.close();
    expect(tts.workers.live).toBe(0);
    expect(tts.workers.exited).toBe(tts.workers.started);
    const error = await failure(tts.synthesize('Too late.'));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as VoxError).retryable).toBe(false);
  });

  it('fails a request for an unknown voice with a ConfigError, starting no worker', async () => {
    const tts = flite();
    const error = await failure(tts.synthesize('Hello.', { voice: 'en-US-Wavenet-D' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(tts.workers.started).toBe(0);
  });

  it('rejects unknown voices and out-of-range numbers when constructed', () => {
    expect(() => new FliteTts({ voice: 'alloy' as never })).toThrow(ConfigError);
    expect(() => new FliteTts({ speakingRate: 0 })).toThrow(ConfigError);
    expect(() => new FliteTts({ poolSize: 0 })).toThrow(ConfigError);
    expect(() => new FliteTts({ poolSize: 1.5 })).toThrow(ConfigError);
    expect(() => new FliteTts({ chunkMs: 500 })).toThrow(ConfigError);
  });

  it('fails with ProviderUnavailableError when the engine thread crashes, and leaves no thread behind', async () => {
    const crashing = {
      url: new URL('data:text/javascript,throw new Error("engine exploded")'),
      execArgv: [],
    };
    const tts = flite({ workerLocation: crashing });
    const error = await failure(tts.synthesize('Hello.'));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as VoxError).message).toMatch(/engine exploded/);
    await expect.poll(() => tts.workers.live).toBe(0);
  });

  it('answers text that is not a string with a typed error instead of crashing', async () => {
    const error = await failure(flite().synthesize(undefined as unknown as string));
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(VoxError.isInstance(error)).toBe(true);
  });
});
