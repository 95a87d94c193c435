import { describe, expect, it } from 'vitest';
import { int16View } from './aligned-pcm';

/** `values` as little-endian Int16 bytes starting at an odd offset of a larger buffer. */
function oddBytes(values: readonly number[]): Uint8Array {
  const holder = new Uint8Array(values.length * 2 + 1);
  holder.set(new Uint8Array(Int16Array.from(values).buffer), 1);
  return holder.subarray(1);
}

describe('int16View', () => {
  it('views aligned bytes in place', () => {
    const bytes = new Uint8Array(Int16Array.from([5, -5]).buffer);
    const samples = int16View(bytes);
    bytes[0] = 6;
    expect(Array.from(samples)).toEqual([6, -5]);
  });

  it('copies odd-offset frames so that later frames never overwrite earlier ones', () => {
    const frames = Array.from({ length: 100 }, (_, i) => Array.from({ length: 320 }, (_, k) => i * 7 - k));
    const views = frames.map((values) => int16View(oddBytes(values)));
    expect(views.map((v) => Array.from(v))).toEqual(frames);
    expect(views.every((v) => v.byteOffset % 2 === 0)).toBe(true);
  });

  it('copies a large odd-offset block whole, and refuses an odd byte length', () => {
    const values = Array.from({ length: 5000 }, (_, k) => k - 2500);
    expect(Array.from(int16View(oddBytes(values)))).toEqual(values);
    expect(() => int16View(new Uint8Array(3))).toThrow(RangeError);
  });
});
