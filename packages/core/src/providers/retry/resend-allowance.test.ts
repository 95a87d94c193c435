import { describe, expect, it } from 'vitest';
import { ResendAllowance } from './resend-allowance';

describe('ResendAllowance', () => {
  it('grants at most the per-attempt cap, and at most the per-minute cap over any 60 s', () => {
    let now = 0;
    const resend = new ResendAllowance({ maxPerAttemptMs: 10_000, maxPerMinuteMs: 25_000 }, () => now);
    expect(resend.grant(35_000)).toBe(10_000);
    now = 1000;
    expect(resend.grant(35_000)).toBe(10_000);
    now = 2000;
    expect(resend.grant(35_000)).toBe(5_000);
    expect(resend.grant(1_000)).toBe(0);
    now = 60_001;
    expect(resend.grant(35_000)).toBe(10_000);
    expect(resend.totalMs).toBe(35_000);
  });

  it('counts nothing for a replay of nothing', () => {
    const resend = new ResendAllowance({ maxPerAttemptMs: 100, maxPerMinuteMs: 100 });
    expect(resend.grant(0)).toBe(0);
    expect(resend.remainingThisMinuteMs).toBe(100);
  });
});
