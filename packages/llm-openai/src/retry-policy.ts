import type { VoxError } from '@voxduplex/core';

/** Backoff settings of the retry loop that runs only before the first token. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * How long to wait before retry number `attempt + 1`, or `undefined` when the error must
 * surface now: not retryable, a timeout (the caller's latency budget is already spent), retries
 * exhausted, or a `retry-after` longer than `maxDelayMs` (a voice turn cannot wait that long;
 * the caller gets the `ProviderQuotaError` with its `retryAfterMs`).
 *
 * Without `retry-after` the wait is exponential with jitter: `base·2^attempt`, between half
 * and all of it, capped at `maxDelayMs`.
 */
export function retryDelayMs(
  error: VoxError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!error.retryable || error.code === 'provider_timeout' || attempt >= policy.maxRetries) return undefined;
  const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof asked === 'number') return asked <= policy.maxDelayMs ? asked : undefined;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exponential / 2 + random() * (exponential / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts; the timer never outlives either. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
