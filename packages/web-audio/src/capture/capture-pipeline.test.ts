import { decibels, sine, toneAmplitude } from '@voxduplex/core/testing';
import { describe, expect, it } from 'vitest';
import { CapturePipeline } from './capture-pipeline';

function run(pipeline: CapturePipeline, input: Float32Array, quantum = 128): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < input.length; i += quantum)
    frames.push(...pipeline.push(input.subarray(i, i + quantum)));
  return frames;
}

describe('CapturePipeline', () => {
  it.each([44_100, 48_000])('turns %i Hz render quanta into 20 ms Int16 frames at 16 kHz', (inputRate) => {
    const frames = run(new CapturePipeline({ inputRate }), sine(1000, inputRate, inputRate, 0.5));
    expect(frames.every((f) => f instanceof Int16Array && f.length === 320)).toBe(true);
    // One second in, 50 frames out (the last few ms stay in the filter until more input comes).
    expect(frames.length).toBe(49);
    const joined = new Int16Array(frames.length * 320);
    for (const [i, f] of frames.entries()) joined.set(f, i * 320);
    const amplitude = toneAmplitude(joined, 1000, 16_000, 320, joined.length) / 32768;
    expect(Math.abs(decibels(amplitude, 0.5))).toBeLessThan(0.1);
  });

  it('honours another frame length and output rate', () => {
    const frames = run(
      new CapturePipeline({ inputRate: 48_000, outputRate: 8000, frameMs: 10 }),
      new Float32Array(4800),
    );
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f.length === 80)).toBe(true);
  });
});
