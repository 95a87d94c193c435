import { describe, expect, it } from 'vitest';
import { RecognitionBackoff } from './recognition-backoff';

describe('RecognitionBackoff', () => {
  const make = () => {
    let now = 0;
    const backoff = new RecognitionBackoff({ initialDelayMs: 100, maxDelayMs: 1000 }, () => now);
    return { backoff, at: (ms: number) => (now = ms) };
  };

  it('doubles the wait per failure in a row, up to the cap, and only allows a new stream after it', () => {
    const { backoff, at } = make();
    const waits: number[] = [];
    for (let i = 0, t = 0; i < 6; i++) {
      at(t);
      expect(backoff.canOpen()).toBe(true);
      backoff.opened();
      const wait = backoff.lost('failed');
      waits.push(wait);
      at(t + wait - 1);
      expect(backoff.canOpen()).toBe(false);
      t += wait;
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.losses).toBe(6);
  });

  it('starts over once the provider delivered something, and reopens a healthy stream that ended at once', () => {
    const { backoff } = make();
    backoff.opened();
    backoff.lost('failed');
    backoff.opened();
    backoff.lost('failed');
    backoff.opened();
    backoff.worked();
    expect(backoff.lost('ended')).toBe(0);
    expect(backoff.canOpen()).toBe(true);
    backoff.opened();
    backoff.worked();
    expect(backoff.lost('failed')).toBe(100);
  });

  it('treats a stream that ended before doing anything as a failure, so a provider that hangs up at once is not hammered', () => {
    const { backoff } = make();
    backoff.opened();
    expect(backoff.lost('ended')).toBe(100);
    backoff.opened();
    expect(backoff.lost('ended')).toBe(200);
  });
});
