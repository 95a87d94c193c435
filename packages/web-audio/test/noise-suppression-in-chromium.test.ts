import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, mixAtSnr, pinkNoise, synthesizeSpeech, toFloat } from '@voxduplex/acoustic-set';
import { SincResampler } from '@voxduplex/core/dsp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openTestPage } from './harness/browser';
import { bundlePage, servePage } from './harness/page-server';
import { writeWav } from './harness/wav';
import type { VoxTestApi } from './page/page';
import { decibels, quantileOf, rms } from './signals';

const WAV_RATE = 48_000;
const RNNOISE_WASM = createRequire(import.meta.url).resolve(
  '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm',
);

/** 1 s of pink noise, a question at 10 dB SNR over it, 1 s more noise: as 48 kHz floats. */
function noisyQuestion(): { samples: Float32Array; durationMs: number } {
  const speech = concat(1000, synthesizeSpeech('what is the weather like today', 'flite:rms'), 1000);
  const mixed = mixAtSnr(speech, pinkNoise(5000, { seed: 3 }), 10);
  const up = new SincResampler({ inputRate: 16_000, outputRate: WAV_RATE });
  const samples = new Float32Array([...up.process(toFloat(mixed)), ...up.flush()]);
  return { samples, durationMs: (mixed.length / 16_000) * 1000 };
}

/** Level of each 20 ms frame, dB of full scale. */
function frameLevels(frames: Map<number, Buffer>): number[] {
  return [...frames.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, bytes]) => new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2))
    .map((samples) => decibels(Math.max(1, rms(samples)), 32768));
}

describe('noise suppression in the Chromium capture worklet', () => {
  let dir: string;
  let browser: Browser;
  let script: string;
  let durationMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vox-denoise-'));
    const wav = join(dir, 'mic.wav');
    const question = noisyQuestion();
    durationMs = question.durationMs;
    writeWav(wav, question.samples, WAV_RATE);
    script = await bundlePage();
    browser = await launchChromium(`${wav}%noloop`);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function capture(withRnnoise: boolean) {
    const frames = new Map<number, Buffer>();
    const site = await servePage(script, {
      '/frames': (request, response, body) => {
        frames.set(Number(new URL(request.url ?? '', 'http://x').searchParams.get('seq')), body);
        response.writeHead(204).end();
      },
      '/rnnoise.wasm': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(RNNOISE_WASM));
      },
    });
    const page = await openTestPage(browser, site.url);
    try {
      await page.evaluate(
        (o) => (window as unknown as { voxTest: VoxTestApi }).voxTest.captureToServer('/frames', o),
        { processing: false, ...(withRnnoise ? { rnnoiseUrl: '/rnnoise.wasm' } : {}) },
      );
      await page.waitForTimeout(durationMs + 300);
      await page.evaluate(() => (window as unknown as { voxTest: VoxTestApi }).voxTest.stopCapture());
      await page.waitForFunction(
        () => (window as unknown as { voxTest: VoxTestApi }).voxTest.captureReleases().length > 0,
      );
      const releases = await page.evaluate(() =>
        (window as unknown as { voxTest: VoxTestApi }).voxTest.captureReleases(),
      );
      return { levels: frameLevels(frames), releases };
    } finally {
      await page.close();
      await site.close();
    }
  }

  it('takes the noise down between words, keeps the words, and frees RNNoise when the capture stops', async () => {
    const plain = await capture(false);
    const denoised = await capture(true);
    // The quietest fifth of the frames is noise alone: RNNoise removes most of it.
    expect(quantileOf(denoised.levels, 0.2)).toBeLessThan(quantileOf(plain.levels, 0.2) - 10);
    // The loudest frames are the words: they stay (within 6 dB).
    expect(Math.abs(quantileOf(denoised.levels, 0.95) - quantileOf(plain.levels, 0.95))).toBeLessThan(6);
    expect(denoised.releases).toEqual([{ hasFreedRnnoise: true }]);
    expect(plain.releases).toEqual([{ hasFreedRnnoise: true }]);
  });
});
