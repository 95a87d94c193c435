import {
  ProviderAuthError,
  ProviderQuotaError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, sleep } from './retry-policy';

const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const unavailable = new ProviderUnavailableError('down');

describe('retryDelayMs', () => {
  it('doubles the backoff per attempt, between half and all of it, capped', () => {
    expect(retryDelayMs(unavailable, 0, policy, () => 0)).toBe(50);
    expect(retryDelayMs(unavailable, 0, policy, () => 1)).toBe(100);
    expect(retryDelayMs(unavailable, 2, policy, () => 1)).toBe(400);
    expect(retryDelayMs(unavailable, 2, { ...policy, maxDelayMs: 300 }, () => 1)).toBe(300);
  });

  it('stops after maxRetries', () => {
    expect(retryDelayMs(unavailable, 3, policy)).toBeUndefined();
  });

  it('waits exactly what retry-after asked, unless it is longer than the cap', () => {
    expect(retryDelayMs(new ProviderQuotaError('slow', { retryAfterMs: 700 }), 0, policy)).toBe(700);
    expect(retryDelayMs(new ProviderQuotaError('slow', { retryAfterMs: 60_000 }), 0, policy)).toBeUndefined();
  });

  it('never retries auth errors or timeouts', () => {
    expect(retryDelayMs(new ProviderAuthError('no'), 0, policy)).toBeUndefined();
    expect(retryDelayMs(new ProviderTimeoutError('slow'), 0, policy)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('resolves at once when the signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
