import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureSnr, mixAtSnr } from './mix';
import { mainsHum, pinkNoise, whiteNoise } from './noise';
import { activeRms, concat, levelDb, toFloat } from './samples';

/** A voice-like test signal: bursts of a gliding tone with gaps (active level ≠ overall level). */
function bursts(seed: number): Int16Array {
  const out = new Int16Array(16_000 * 2);
  for (let i = 0; i < out.length; i++) {
    const isVoiced = Math.floor(i / 2400) % 2 === 0;
    out[i] = isVoiced
      ? Math.round(8000 * Math.sin((2 * Math.PI * (200 + seed * 10 + i / 100) * i) / 16_000))
      : 0;
  }
  return concat(300, out, 300);
}

const noises = {
  pink: (seed: number) => pinkNoise(3000, { seed }),
  white: (seed: number) => whiteNoise(3000, { seed }),
  hum: (seed: number) => mainsHum(3000, { seed }),
};

describe('mixAtSnr', () => {
  it('mixes at the asked SNR, measured back within ±0.5 dB, for every noise and sample type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pink', 'white', 'hum' as const),
        fc.integer({ min: -5, max: 30 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (kind, snrDb, seed, asFloat) => {
          const speech = bursts(seed % 7);
          const mix = asFloat
            ? mixAtSnr(toFloat(speech), noises[kind](seed), snrDb)
            : mixAtSnr(speech, noises[kind](seed), snrDb);
          expect(mix.length).toBe(speech.length);
          expect(mix).toBeInstanceOf(asFloat ? Float32Array : Int16Array);
          expect(Math.abs(measureSnr(mix, speech) - snrDb)).toBeLessThan(0.5);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('scales a mix that would clip down as a whole, so the SNR holds', () => {
    const loud = bursts(1).map((sample) => sample * 3);
    const mix = mixAtSnr(loud, pinkNoise(3000, { seed: 1 }), 0);
    expect(Math.max(...mix.map(Math.abs))).toBeLessThanOrEqual(Math.ceil(0.95 * 32768));
    expect(levelDb(activeRms(mix) / activeRms(loud))).toBeLessThan(0);
    expect(Math.abs(measureSnr(mix, loud))).toBeLessThan(0.5);
  });

  it('is deterministic: the same seed gives the same noise, another seed other noise', () => {
    expect(pinkNoise(500, { seed: 3 })).toEqual(pinkNoise(500, { seed: 3 }));
    expect(pinkNoise(500, { seed: 3 })).not.toEqual(pinkNoise(500, { seed: 4 }));
  });
});
