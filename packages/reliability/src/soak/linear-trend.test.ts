import { describe, expect, it } from 'vitest';
import { linearSlope } from './linear-trend';

describe('linearSlope', () => {
  it('finds the trend of a line through noise that averages out', () => {
    const samples = Array.from({ length: 40 }, (_, i) => ({
      t: i * 1000,
      value: 5000 + 2 * i * 1000 + (i % 2 ? 300 : -300),
    }));
    expect(linearSlope(samples)).toBeCloseTo(2, 1);
  });

  it('is zero for a flat series and NaN without two distinct times', () => {
    expect(linearSlope([1, 2, 3].map((i) => ({ t: i, value: 7 })))).toBe(0);
    expect(linearSlope([{ t: 1, value: 1 }])).toBeNaN();
    expect(
      linearSlope([
        { t: 1, value: 1 },
        { t: 1, value: 2 },
      ]),
    ).toBeNaN();
  });
});
