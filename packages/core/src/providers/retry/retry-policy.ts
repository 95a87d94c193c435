/**
 * How a provider call or stream is retried: how many failures are forgiven, how long to wait
 * between attempts, and what counts as the provider working again. Every field has a default
 * ({@link DEFAULT_RETRY_POLICY}); adapters expose the fields under their own option names.
 */
export interface RetryPolicy {
  /**
   * Failed attempts retried within {@link windowMs} (since the provider last made progress);
   * the next failure gives up. `Infinity` never gives up (the session's recognition loop):
   * every failure is retried, and a quota error's `retryAfterMs` is waited in full.
   */
  readonly maxRetries: number;
  /**
   * Failures older than this are forgotten, ms. Raised to at least
   * `maxRetries × (maxDelayMs + healthyAfterMs)`, so a provider that never makes progress always
   * runs out of retries, however slowly it fails.
   */
  readonly windowMs: number;
  /**
   * An attempt on which the provider was still answering this long after it started counts as
   * progress, ms: the provider worked, the failure is the first of a new series. A single interim
   * result is *not* progress (a service that drops every stream after its first interim must run
   * out of retries), nor is a stream that hangs silent; a final result is (the caller reports
   * answers with `RetryBudget.answered` and progress with `RetryBudget.progressed`).
   */
  readonly healthyAfterMs: number;
  /** Wait before the first retry, ms; doubled per failure in a row. */
  readonly initialDelayMs: number;
  /**
   * The longest wait between attempts, ms. A `retryAfterMs` a provider asks for that is longer
   * gives up at once: a voice turn cannot wait that long, the caller gets the quota error.
   */
  readonly maxDelayMs: number;
  /**
   * Share of each wait drawn at random, 0–1: the wait is uniform in
   * `[delay × (1 − jitter), delay]`, so clients that failed together do not come back together.
   */
  readonly jitter: number;
}

/**
 * Defaults: 5 retries in a minute, 250 ms doubling to 5 s, half of each wait random, and a
 * stream that stayed up 10 s counts as healthy. 10 s is twice the longest wait: a connection
 * that only survives its own backoff is not healthy, while any real stream (a Google stream
 * rotates after minutes, an Azure one lives for the whole session) is far past it.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  windowMs: 60_000,
  healthyAfterMs: 10_000,
  initialDelayMs: 250,
  maxDelayMs: 5_000,
  jitter: 0.5,
};

/** Fills the gaps of a partial policy with {@link DEFAULT_RETRY_POLICY}; `undefined` fields are ignored. */
export function resolveRetryPolicy(
  policy: { readonly [K in keyof RetryPolicy]?: number | undefined } = {},
): RetryPolicy {
  const defined = Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_RETRY_POLICY, ...defined };
}
