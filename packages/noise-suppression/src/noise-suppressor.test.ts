import {
  activeRms,
  concat,
  levelDb,
  mixAtSnr,
  pinkNoise,
  rms,
  synthesizeSpeech,
} from '@voxduplex/acoustic-set';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNodeRnnoise } from './node';
import { NoiseSuppressor } from './noise-suppressor';
import type { RnnoiseWasm } from './rnnoise/rnnoise-wasm';

let rnnoise: RnnoiseWasm;
beforeAll(async () => {
  rnnoise = await loadNodeRnnoise();
});

/** Runs `samples` through a fresh suppressor in chunks of the given sizes (cycled). */
function denoise(samples: Int16Array, chunkSizes: readonly number[] = [320]): Int16Array {
  const suppressor = new NoiseSuppressor(rnnoise, { sampleRate: 16_000 });
  const out = new Int16Array(samples.length);
  let at = 0;
  for (let i = 0; at < samples.length; i++) {
    const size = Math.min(chunkSizes[i % chunkSizes.length]!, samples.length - at);
    const chunk = suppressor.processInt16(samples.subarray(at, at + size));
    expect(chunk.length).toBe(size);
    out.set(chunk, at);
    at += size;
  }
  suppressor.close();
  return out;
}

describe('NoiseSuppressor at 16 kHz', () => {
  const noise = pinkNoise(3000, { seed: 5, level: 0.05 });

  it('gives back as many samples as it is given, the same whatever the chunking', () => {
    const second = noise.subarray(0, 16_000);
    const whole = denoise(second, [second.length]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        expect(denoise(second, sizes)).toEqual(whole);
      }),
      { numRuns: 10 },
    );
  });

  it('takes steady pink noise down by more than 15 dB once it has learned it', () => {
    const out = denoise(noise);
    // Past the first half second RNNoise has its noise estimate.
    const settled = out.subarray(8000);
    expect(levelDb(rms(settled) / rms(noise.subarray(8000)))).toBeLessThan(-15);
  });

  it('keeps a voice at its level and raises the SNR of a question mixed at 10 dB', () => {
    const speech = concat(600, synthesizeSpeech('what is the weather like today', 'flite:rms'), 400);
    const noisy = mixAtSnr(speech, pinkNoise(4000, { seed: 9 }), 10);
    const out = denoise(noisy);
    // The words keep their level within 3 dB…
    expect(Math.abs(levelDb(activeRms(out) / activeRms(speech)))).toBeLessThan(3);
    // …and the noise-only lead-in (first 500 ms, minus the learning time) drops by more than 10 dB.
    expect(levelDb(rms(out.subarray(3200, 8000)) / rms(noisy.subarray(3200, 8000)))).toBeLessThan(-10);
  });

  it('delays by a constant of about 20 ms and says so', () => {
    const suppressor = new NoiseSuppressor(rnnoise, { sampleRate: 16_000 });
    expect(suppressor.latencyMs).toBeGreaterThan(10);
    expect(suppressor.latencyMs).toBeLessThan(25);
    suppressor.close();
  });

  it('frees its RNNoise state on close, and the last close drops the shared wasm instance', () => {
    const first = new NoiseSuppressor(rnnoise, { sampleRate: 16_000 });
    const second = new NoiseSuppressor(rnnoise, { sampleRate: 48_000 });
    expect(rnnoise.openDenoisers).toBe(2);
    expect(rnnoise.isInstantiated).toBe(true);
    first.close();
    first.close();
    expect(rnnoise.openDenoisers).toBe(1);
    second.close();
    expect(rnnoise.openDenoisers).toBe(0);
    expect(rnnoise.isInstantiated).toBe(false);
    expect(() => first.processInt16(new Int16Array(160))).toThrow(/closed/);
  });

  it('refuses rates RNNoise cannot be resampled from', () => {
    expect(() => new NoiseSuppressor(rnnoise, { sampleRate: 96_000 })).toThrow(RangeError);
    expect(rnnoise.openDenoisers).toBe(0);
  });
});
