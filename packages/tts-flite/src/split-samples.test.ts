import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSamples } from './split-samples';

describe('splitSamples', () => {
  it('cuts 16 kHz audio into 40 ms chunks of 640 samples, the last one shorter', () => {
    const chunks = splitSamples(new Int16Array(1500), 16000, 40);
    expect(chunks.map((chunk) => chunk.length)).toEqual([640, 640, 220]);
  });

  it('keeps every sample in order and never exceeds the chunk length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 3000 }),
        fc.constantFrom(8000, 16000, 22050),
        fc.integer({ min: 20, max: 100 }),
        (values, sampleRate, chunkMs) => {
          const chunks = splitSamples(Int16Array.from(values), sampleRate, chunkMs);
          const limit = Math.round((sampleRate * chunkMs) / 1000);
          expect(chunks.every((chunk) => chunk.length > 0 && chunk.length <= limit)).toBe(true);
          expect(chunks.flatMap((chunk) => [...chunk])).toEqual(values);
        },
      ),
    );
  });

  it('gives each chunk its own buffer, so it can be transferred', () => {
    const chunks = splitSamples(new Int16Array(2000), 16000, 50);
    expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
  });
});
