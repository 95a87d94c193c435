import type { RetryPolicy } from './retry-policy';

/**
 * The wait before retry number `failures` (1 for the first retry), ms: `initialDelayMs ·
 * 2^(failures−1)` capped at `maxDelayMs`, then the `jitter` share of it drawn from `random`
 * (uniform in `[delay × (1 − jitter), delay]`). Pass `() => 1` for no randomness.
 *
 * @example
 * ```ts
 * backoffDelayMs(3, { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 }); // 400
 * ```
 */
export function backoffDelayMs(
  failures: number,
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(30, Math.max(0, failures - 1));
  const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return delay * (1 - jitter) + delay * jitter * random();
}
