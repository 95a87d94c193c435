import { describe, expect, it } from 'vitest';
import { fadeInGain, fadeLength, fadeOutGain } from './fade';

describe('fade', () => {
  it('fades out monotonically and is silent right after the last fade sample', () => {
    const length = fadeLength(4, 48_000);
    expect(length).toBe(192);
    const gains = Array.from({ length: length + 3 }, (_, i) => fadeOutGain(i, length));
    for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThanOrEqual(gains[i - 1]!);
    expect(gains[0]).toBeLessThan(1);
    expect(gains[length - 1]).toBe(0);
    expect(gains.slice(length)).toEqual([0, 0, 0]);
  });

  it('fades in to full gain', () => {
    expect(fadeInGain(0, 4)).toBe(0.25);
    expect(fadeInGain(3, 4)).toBe(1);
    expect(fadeInGain(10, 4)).toBe(1);
  });

  it('never makes a fade shorter than one sample', () => {
    expect(fadeLength(0, 16_000)).toBe(1);
  });
});
