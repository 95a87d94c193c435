import { describe, expect, it } from 'vitest';
import { downmix, resample, toMono16k } from './to-mono-16k';

const tone = (rate: number, hz: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from(
    { length: rate * seconds },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );

/** Amplitude of one frequency in a signal (a single DFT bin, normalised). */
function amplitudeAt(samples: ArrayLike<number>, rate: number, hz: number, scale = 1): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    re += (samples[i]! / scale) * Math.cos((2 * Math.PI * hz * i) / rate);
    im += (samples[i]! / scale) * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}

describe('toMono16k', () => {
  it('turns 44.1 kHz stereo into 16 kHz mono of the same duration, pitch and loudness', () => {
    const left = tone(44100, 440, 1);
    const stereo = new Float32Array(left.length * 2);
    left.forEach((v, i) => {
      stereo[2 * i] = v;
      stereo[2 * i + 1] = v;
    });
    const mono = toMono16k({ sampleRate: 44100, channels: 2, samples: stereo });
    expect(mono.length).toBe(16000);
    expect(amplitudeAt(mono, 16000, 440, 32768)).toBeCloseTo(0.5, 1);
  });

  it('removes what a 16 kHz signal cannot hold instead of folding it down (no aliasing)', () => {
    // 12 kHz would alias to 4 kHz if decimated naively.
    const out = resample(tone(48000, 12000, 1), 48000, 16000);
    expect(amplitudeAt(out, 16000, 4000)).toBeLessThan(0.01);
  });

  it('upsamples 8 kHz telephone audio', () => {
    const out = resample(tone(8000, 300, 1), 8000, 16000);
    expect(out.length).toBe(16000);
    expect(amplitudeAt(out, 16000, 300)).toBeCloseTo(0.5, 1);
  });

  it('averages channels', () => {
    expect([...downmix(Float32Array.from([1, 0, 0.5, -0.5]), 2)]).toEqual([0.5, 0]);
  });
});
