import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ProviderAuthError, ProviderQuotaError, ProviderUnavailableError } from '../../errors/families';
import { RetryBudget, type RetryDecision } from './retry-budget';

/** A budget on a clock the test moves by hand; no jitter unless asked. */
function budgetAt(policy: ConstructorParameters<typeof RetryBudget>[0] = {}) {
  let now = 0;
  const budget = new RetryBudget({ jitter: 0, ...policy }, { source: 'stt:test', now: () => now });
  return { budget, advance: (ms: number) => (now += ms) };
}

const drop = new ProviderUnavailableError('stream dropped');

describe('RetryBudget', () => {
  it('waits initialDelayMs doubling up to maxDelayMs, then gives up with the attempt count and the last cause', () => {
    const { budget } = budgetAt({ maxRetries: 5, initialDelayMs: 100, maxDelayMs: 1000 });
    const waits: number[] = [];
    for (;;) {
      budget.attemptStarted();
      const decision = budget.failed(drop);
      if (!decision.retry) {
        expect(decision.error).toBeInstanceOf(ProviderUnavailableError);
        expect(decision.error).toMatchObject({
          attempts: 6,
          cause: drop,
          source: 'stt:test',
          retryable: true,
        });
        expect(decision.error.message).toMatch(/gave up after 6 attempts/);
        break;
      }
      waits.push(decision.delayMs);
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000]);
  });

  it('runs out even when every attempt delivers interims first: interims are not progress', () => {
    const { budget, advance } = budgetAt({ maxRetries: 3 });
    let attempts = 0;
    let decision: RetryDecision;
    do {
      budget.attemptStarted();
      attempts++;
      advance(300); // an interim came, then the stream dropped
      decision = budget.failed(drop);
      if (decision.retry) advance(decision.delayMs);
    } while (decision.retry);
    expect(attempts).toBe(4);
  });

  it('forgives past failures after a final, or after an attempt still answering healthyAfterMs in, not a silent one', () => {
    const { budget, advance } = budgetAt({ maxRetries: 3, healthyAfterMs: 10_000 });
    budget.attemptStarted();
    budget.failed(drop);
    budget.attemptStarted();
    budget.failed(drop);
    expect(budget.failures).toBe(2);
    budget.attemptStarted();
    budget.progressed();
    expect(budget.failures).toBe(0);
    expect(budget.failed(drop)).toMatchObject({ retry: true, failures: 1 });
    budget.attemptStarted();
    budget.failed(drop);
    budget.attemptStarted();
    advance(10_000);
    expect(budget.failed(drop)).toMatchObject({ retry: true, failures: 3 }); // silent all along
    budget.attemptStarted();
    advance(10_000);
    budget.answered();
    expect(budget.failed(drop)).toMatchObject({ retry: true, failures: 1 });
  });

  it('forgets failures older than the window, which is never shorter than a whole series of slow failures', () => {
    const { budget, advance } = budgetAt({
      maxRetries: 2,
      windowMs: 1000,
      maxDelayMs: 1000,
      healthyAfterMs: 4000,
    });
    expect(budget.policy.windowMs).toBe(10_000);
    budget.attemptStarted();
    budget.failed(drop);
    advance(9_999);
    expect(budget.failures).toBe(1);
    advance(1);
    expect(budget.failures).toBe(0);
  });

  it('gives up at once, with the error itself, on what retrying cannot fix', () => {
    const { budget } = budgetAt();
    budget.attemptStarted();
    const refused = new ProviderAuthError('bad key');
    expect(budget.failed(refused)).toEqual({ retry: false, error: refused });
  });

  it('waits what a quota error asks for when it fits under maxDelayMs, and gives up with it when it does not', () => {
    const { budget } = budgetAt({ maxDelayMs: 5000 });
    budget.attemptStarted();
    expect(budget.failed(new ProviderQuotaError('slow down', { retryAfterMs: 1500 }))).toMatchObject({
      retry: true,
      delayMs: 1500,
    });
    const long = new ProviderQuotaError('come back tomorrow', { retryAfterMs: 86_400_000 });
    expect(budget.failed(long)).toEqual({ retry: false, error: long });
  });

  it('gives up with a quota error, not an outage, when the last failure was quota', () => {
    const { budget } = budgetAt({ maxRetries: 1 });
    budget.attemptStarted();
    budget.failed(new ProviderQuotaError('429', { retryAfterMs: 100 }));
    budget.attemptStarted();
    const decision = budget.failed(new ProviderQuotaError('429', { retryAfterMs: 100 }));
    expect(decision).toMatchObject({ retry: false });
    expect(!decision.retry && decision.error).toMatchObject({
      name: 'ProviderQuotaError',
      attempts: 2,
      retryAfterMs: 100,
    });
  });

  it('gives up with the failure itself when no retry is allowed', () => {
    const { budget } = budgetAt({ maxRetries: 0 });
    budget.attemptStarted();
    expect(budget.failed(drop)).toEqual({ retry: false, error: drop });
  });

  it('draws the jitter share of each wait at random', () => {
    const low = new RetryBudget({ initialDelayMs: 1000, jitter: 0.5 }, { random: () => 0 });
    const high = new RetryBudget({ initialDelayMs: 1000, jitter: 0.5 }, { random: () => 0.999 });
    expect(low.failed(drop)).toMatchObject({ delayMs: 500 });
    expect((high.failed(drop) as { delayMs: number }).delayMs).toBeCloseTo(999.5);
  });

  it('reopens a healthy stream that ended at once, and counts one that ended straight away as a failure', () => {
    const { budget, advance } = budgetAt({ initialDelayMs: 100 });
    budget.attemptStarted();
    expect(budget.ended()).toMatchObject({ retry: true, delayMs: 100, failures: 1 });
    advance(100);
    budget.attemptStarted();
    budget.progressed();
    expect(budget.ended()).toEqual({ retry: true, delayMs: 0, failures: 0 });
    expect(budget.canAttempt).toBe(true);
  });

  it('schedules the next attempt when the wait is over, on its scheduler', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const budget = new RetryBudget({ initialDelayMs: 40, jitter: 0 }, { scheduler });
      const at: number[] = [];
      budget.attemptStarted();
      budget.failed(drop);
      expect(budget.canAttempt).toBe(false);
      budget.schedule(() => at.push(scheduler.now()));
      flush();
      expect(at).toEqual([40]);
      expect(budget.canAttempt).toBe(true);
    });
  });
});

describe('RetryBudget that never gives up (maxRetries: Infinity)', () => {
  it('retries even what is not retryable, and waits a quota error out in full', () => {
    const { budget } = budgetAt({ maxRetries: Number.POSITIVE_INFINITY, maxDelayMs: 1000 });
    budget.attemptStarted();
    expect(budget.failed(new ProviderAuthError('bad key'))).toMatchObject({ retry: true, failures: 1 });
    expect(budget.failed(new ProviderQuotaError('later', { retryAfterMs: 30_000 }))).toMatchObject({
      retry: true,
      delayMs: 30_000,
    });
    expect(budget.policy.windowMs).toBe(Number.POSITIVE_INFINITY);
  });
});
