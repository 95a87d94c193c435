import { describe, expect, it } from 'vitest';
import { floatToInt16, int16ToFloat } from './pcm';

describe('pcm conversion', () => {
  it('maps full scale to the Int16 limits and clamps overs', () => {
    expect(Array.from(floatToInt16(Float32Array.of(-1, 1, 0, 2, -3, 0.5)))).toEqual([
      -32768, 32767, 0, 32767, -32768, 16384,
    ]);
  });

  it('round-trips Int16 exactly', () => {
    const samples = Int16Array.of(-32768, -1, 0, 1, 12345, 32767);
    const back = floatToInt16(int16ToFloat(samples));
    expect(Array.from(back.subarray(0, 5))).toEqual(Array.from(samples.subarray(0, 5)));
    expect(Math.abs(back[5]! - 32767)).toBeLessThanOrEqual(1);
  });
});
