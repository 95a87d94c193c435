import { describe, expect, it } from 'vitest';
import { RecentAudio } from './recent-audio';

/** 10 ms of 16 kHz audio whose every sample is `value`. */
const chunk = (value: number) => new Int16Array(160).fill(value);

describe('RecentAudio', () => {
  it('gives the samples from a time on, to the sample', () => {
    const recent = new RecentAudio(1000, 16_000);
    for (const [i, value] of [1, 2, 3].entries()) recent.push(chunk(value), i * 10);
    const tail = recent.between(15);
    expect(tail).toHaveLength(80 + 160);
    expect([tail[0], tail[79], tail[80]]).toEqual([2, 2, 3]);
    expect(recent.between(-50)).toHaveLength(480);
  });

  it('gives the samples between two times, across chunks, to the sample', () => {
    const recent = new RecentAudio(1000, 16_000);
    for (const [i, value] of [1, 2, 3].entries()) recent.push(chunk(value), i * 10);
    const middle = recent.between(5, 25);
    expect(middle).toHaveLength(320);
    expect([middle[0], middle[79], middle[80], middle[239], middle[240], middle[319]]).toEqual([
      1, 1, 2, 2, 3, 3,
    ]);
    expect(recent.between(12, 18)).toHaveLength(96);
    expect(recent.between(40, 50)).toHaveLength(0);
  });

  it('lets go of audio older than it keeps', () => {
    const recent = new RecentAudio(50, 16_000);
    for (let i = 0; i < 100; i++) recent.push(chunk(i), i * 10);
    const kept = recent.between(0);
    expect(kept.length).toBeLessThanOrEqual(7 * 160);
    expect(kept.at(-1)).toBe(99);
  });
});
