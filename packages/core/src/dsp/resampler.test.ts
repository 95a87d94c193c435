import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decibels, rms, sine, toneAmplitude } from '../testing/signals';
import { SincResampler } from './resampler';

function resampleAll(input: Float32Array, inputRate: number, outputRate: number): Float32Array {
  const resampler = new SincResampler({ inputRate, outputRate });
  const head = resampler.process(input);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/** Skips the filter's start-up and tail so measurements see the steady state. */
function steady(samples: Float32Array, edge: number): Float32Array {
  return samples.subarray(edge, samples.length - edge);
}

describe('SincResampler', () => {
  it.each([48_000, 44_100])('keeps a 1 kHz tone at 1 kHz when going from %i Hz to 16 kHz', (inputRate) => {
    const out = steady(resampleAll(sine(1000, inputRate, inputRate, 0.5), inputRate, 16_000), 400);
    const atOneKilohertz = toneAmplitude(out, 1000, 16_000);
    expect(Math.abs(decibels(atOneKilohertz, 0.5))).toBeLessThan(0.1);
    // Everything that is not the 1 kHz tone (distortion, aliases, a shifted pitch) is tiny.
    const residual = Math.sqrt(Math.max(0, rms(out) ** 2 - atOneKilohertz ** 2 / 2));
    expect(decibels(residual, 0.5)).toBeLessThan(-50);
  });

  it('attenuates a 7 kHz tone at 48 kHz by at least 40 dB on the way to 16 kHz', () => {
    const out = steady(resampleAll(sine(7000, 48_000, 48_000, 0.5), 48_000, 16_000), 400);
    expect(decibels(rms(out), rms(sine(7000, 48_000, 48_000, 0.5)))).toBeLessThan(-40);
  });

  it('does not fold a 12 kHz tone down to 4 kHz', () => {
    const out = steady(resampleAll(sine(12_000, 48_000, 48_000, 0.5), 48_000, 16_000), 400);
    expect(decibels(toneAmplitude(out, 4000, 16_000), 0.5)).toBeLessThan(-60);
  });

  it('produces one output sample per 1/16000 s of input', () => {
    expect(resampleAll(new Float32Array(44_100), 44_100, 16_000).length).toBe(16_000);
    expect(resampleAll(new Float32Array(4_800), 48_000, 16_000).length).toBe(1_600);
  });

  it('upsamples 16 kHz speech-band audio to 48 kHz without changing its pitch', () => {
    const out = steady(resampleAll(sine(1000, 16_000, 16_000, 0.5), 16_000, 48_000), 1200);
    expect(Math.abs(decibels(toneAmplitude(out, 1000, 48_000), 0.5))).toBeLessThan(0.1);
    expect(out.length).toBeGreaterThan(40_000);
  });

  it('gives the same output however the input is split into chunks', () => {
    const signal = sine(440, 44_100, 3000, 0.8);
    const whole = resampleAll(signal, 44_100, 16_000);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 }), (sizes) => {
        const resampler = new SincResampler({ inputRate: 44_100, outputRate: 16_000 });
        const parts: number[] = [];
        let offset = 0;
        for (const size of sizes) {
          if (offset >= signal.length) break;
          parts.push(...resampler.process(signal.subarray(offset, offset + size)));
          offset += size;
        }
        if (offset < signal.length) parts.push(...resampler.process(signal.subarray(offset)));
        parts.push(...resampler.flush());
        expect(parts.length).toBe(whole.length);
        for (let i = 0; i < whole.length; i++) expect(parts[i]).toBeCloseTo(whole[i]!, 6);
      }),
      { numRuns: 40 },
    );
  });

  it('passes audio through untouched when the rates are equal', () => {
    const signal = sine(300, 16_000, 500);
    expect(Array.from(resampleAll(signal, 16_000, 16_000))).toEqual(Array.from(signal));
  });

  it('rejects a zero sample rate', () => {
    expect(() => new SincResampler({ inputRate: 0, outputRate: 16_000 })).toThrow(RangeError);
  });
});
