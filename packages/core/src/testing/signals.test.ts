import { describe, expect, it } from 'vitest';
import { decibels, sine, toneAmplitude, windowedToneAmplitude } from './signals';

const RATE = 16_000;

function sum(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((value, i) => value + b[i]!);
}

describe('tone amplitude', () => {
  it('reads the amplitude of a tone, with or without the window', () => {
    const tone = sine(1000, RATE, RATE, 0.25);
    expect(toneAmplitude(tone, 1000, RATE)).toBeCloseTo(0.25, 3);
    expect(windowedToneAmplitude(tone, 1000, RATE)).toBeCloseTo(0.25, 3);
  });

  it('reads only the part of the samples it is given', () => {
    const quiet = sine(500, RATE, 1600, 0.1);
    const loud = sine(500, RATE, 1600, 0.4);
    const both = new Float32Array([...quiet, ...loud]);
    expect(toneAmplitude(both, 500, RATE, 1600, 3200)).toBeCloseTo(0.4, 2);
    expect(windowedToneAmplitude(both, 500, RATE, 0, 1600)).toBeCloseTo(0.1, 2);
  });

  it('keeps a stronger tone between bins from leaking into a weak one only with the window', () => {
    // 100 ms (10 Hz bins) of a weak 1000 Hz tone beside one 40 dB louder at 1045 Hz.
    const length = 1600;
    const mixed = sum(sine(1000, RATE, length, 0.001), sine(1045, RATE, length, 0.1));
    expect(Math.abs(decibels(windowedToneAmplitude(mixed, 1000, RATE), 0.001))).toBeLessThan(1);
    expect(Math.abs(decibels(toneAmplitude(mixed, 1000, RATE), 0.001))).toBeGreaterThan(6);
  });
});
