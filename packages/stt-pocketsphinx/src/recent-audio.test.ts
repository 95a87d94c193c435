import { describe, expect, it } from 'vitest';
import { RecentAudio } from './recent-audio';

/** 10 ms of 16 kHz audio whose every sample is `value`. */
const chunk = (value: number) => new Int16Array(160).fill(value);

describe('RecentAudio', () => {
  it('gives the samples from a time on, to the sample', () => {
    const recent = new RecentAudio(1000, 16_000);
    for (const [i, value] of [1, 2, 3].entries()) recent.push(chunk(value), i * 10);
    const tail = recent.since(15);
    expect(tail).toHaveLength(80 + 160);
    expect([tail[0], tail[79], tail[80]]).toEqual([2, 2, 3]);
    expect(recent.since(-50)).toHaveLength(480);
  });

  it('lets go of audio older than it keeps', () => {
    const recent = new RecentAudio(50, 16_000);
    for (let i = 0; i < 100; i++) recent.push(chunk(i), i * 10);
    const kept = recent.since(0);
    expect(kept.length).toBeLessThanOrEqual(7 * 160);
    expect(kept.at(-1)).toBe(99);
  });
});
