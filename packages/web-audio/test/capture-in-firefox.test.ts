import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirefoxTab, launchFirefox } from './harness/firefox';
import { bundlePage, servePage } from './harness/page-server';
import type { VoxTestApi } from './page/page';

const TONE_HZ = 1000;

/** Power of `frequencyHz` in `samples` (Goertzel), relative to full scale. */
function tonePower(samples: Int16Array, frequencyHz: number, sampleRate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const sample of samples) {
    const s0 = sample / 32768 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (samples.length * samples.length);
}

describe('microphone capture in Firefox ESR (WebDriver BiDi)', () => {
  let firefox: FirefoxTab;
  let site: Awaited<ReturnType<typeof servePage>>;
  const frames = new Map<number, { rate: number; bytes: Buffer }>();

  beforeAll(async () => {
    site = await servePage(await bundlePage(), {
      '/frames': (request, response, body) => {
        const query = new URL(request.url ?? '', 'http://x').searchParams;
        frames.set(Number(query.get('seq')), { rate: Number(query.get('rate')), bytes: body });
        response.writeHead(204).end();
      },
    });
    // Firefox's fake microphone plays a sine: the test checks it comes out at its frequency.
    firefox = await launchFirefox(TONE_HZ);
    await firefox.goto(site.url);
  });

  afterAll(async () => {
    await firefox?.close();
    await site?.close();
  });

  it.each([44_100, 48_000])(
    'delivers 16 kHz Int16 frames carrying the microphone tone from a %i Hz context',
    async (contextRate) => {
      frames.clear();
      const started = await firefox.evaluate(
        (rate) =>
          (window as unknown as { voxTest: VoxTestApi }).voxTest.captureToServer('/frames', {
            contextRate: rate,
            processing: false,
          }),
        contextRate,
      );
      expect(started.contextRate).toBe(contextRate);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await firefox.evaluate(
        () => (window as unknown as { voxTest: VoxTestApi }).voxTest.stopCapture(),
        null,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      const seqs = [...frames.keys()].sort((a, b) => a - b);
      // About 50 frames a second, numbered without a hole, each 20 ms of 16 kHz Int16.
      expect(seqs.length).toBeGreaterThan(50);
      expect(seqs).toEqual(seqs.map((_, i) => i));
      for (const { rate, bytes } of frames.values()) {
        expect(rate).toBe(16_000);
        expect(bytes.byteLength).toBe(640);
      }
      const joined = Buffer.concat(seqs.map((seq) => frames.get(seq)!.bytes));
      const pcm = new Int16Array(joined.buffer, joined.byteOffset, joined.byteLength / 2);
      // The tone is there, at its frequency after resampling, and nowhere near its neighbours.
      const atTone = tonePower(pcm, TONE_HZ, 16_000);
      expect(atTone).toBeGreaterThan(1e-4);
      for (const other of [TONE_HZ * 0.8, TONE_HZ * 1.25, TONE_HZ * 2])
        expect(10 * Math.log10(atTone / tonePower(pcm, other, 16_000))).toBeGreaterThan(30);
    },
  );
});
