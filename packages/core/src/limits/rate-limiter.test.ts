import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a burst through, refuses the next message, refills with time', () => {
    let nowMs = 0;
    const limiter = new RateLimiter(50, 3, () => nowMs);
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    nowMs += 20; // one token at 50/s
    expect([limiter.take(), limiter.take()]).toEqual([true, false]);
  });

  it('never stores more than the burst however long the socket was quiet', () => {
    let nowMs = 0;
    const limiter = new RateLimiter(100, 2, () => nowMs);
    nowMs += 60_000;
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, false]);
  });
});
