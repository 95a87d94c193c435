import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { toVoxError } from '../../errors/to-vox-error';
import type { VoxError } from '../../errors/vox-error';
import { backoffDelayMs } from './backoff';
import { giveUpError } from './give-up-error';
import { type RetryPolicy, resolveRetryPolicy } from './retry-policy';

/** What to do after a failed attempt: retry after `delayMs`, or give up with `error`. */
export type RetryDecision =
  | {
      readonly retry: true;
      readonly delayMs: number;
      /** Failures counted so far (this one included): 1 before the first retry. */
      readonly failures: number;
    }
  | { readonly retry: false; readonly error: VoxError };

/** What a {@link RetryBudget} reads time and randomness from; all optional. */
export interface RetryBudgetOptions {
  /** Error `source` for failures that are not `VoxError`s yet (`'stt:google'`). */
  readonly source?: string;
  /** Timers (and the clock, unless `now` is given): virtual time in tests. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The clock, ms. Default the scheduler's `now()`. */
  readonly now?: () => number;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * Whether a failure may be retried at all. Default: its `retryable` flag. An LLM also refuses
   * timeouts (the turn's latency budget is already spent).
   */
  readonly shouldRetry?: (error: VoxError) => boolean;
}

/**
 * The one retry rule of voxduplex, for a request or a long-lived stream. The caller reports
 * each attempt ({@link attemptStarted}), progress ({@link progressed}) and failure
 * ({@link failed}); the budget answers how long to wait, or the error to give up with.
 *
 * - Failures are counted in a sliding window (`windowMs`) and cleared by progress: a final
 *   result, or an attempt the provider kept answering on for `healthyAfterMs`. Interims are not progress, so a service
 *   that fails after partial results still runs out of retries.
 * - Waits are capped exponential with jitter ({@link backoffDelayMs}); a quota error's
 *   `retryAfterMs` is honoured when it is within `maxDelayMs`, and gives up at once when not.
 * - A failure that is not retryable (auth, bad request) gives up at once, as itself; spent
 *   retries give up with {@link giveUpError} (`ProviderUnavailableError` with `attempts` and
 *   the last failure as `cause`) — or with the failure itself when no retry was made
 *   (`maxRetries: 0`).
 *
 * @example
 * ```ts
 * const budget = new RetryBudget({ maxRetries: 3 }, { source: 'stt:acme' });
 * budget.attemptStarted();
 * const decision = budget.failed(error);
 * if (decision.retry) budget.schedule(() => reconnect());
 * else subscriber.error(decision.error);
 * ```
 */
export class RetryBudget {
  /** The policy in force, defaults filled in and the window raised as documented. */
  readonly policy: RetryPolicy;
  readonly #options: RetryBudgetOptions;
  readonly #scheduler: SchedulerLike;
  readonly #now: () => number;
  #failureTimes: number[] = [];
  #attempts = 0;
  #attemptStartedAt = Number.NEGATIVE_INFINITY;
  #lastAnsweredAt = Number.NEGATIVE_INFINITY;
  #hasProgressed = false;
  #retryAt = Number.NEGATIVE_INFINITY;

  constructor(policy: Partial<RetryPolicy> = {}, options: RetryBudgetOptions = {}) {
    const resolved = resolveRetryPolicy(policy);
    const slowestSeries = resolved.maxRetries * (resolved.maxDelayMs + resolved.healthyAfterMs);
    this.policy = { ...resolved, windowMs: Math.max(resolved.windowMs, slowestSeries) };
    this.#options = options;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#now = options.now ?? (() => this.#scheduler.now());
  }

  /** Attempts started so far (first try included). */
  get attempts(): number {
    return this.#attempts;
  }

  /** Failures that count against the budget now: in the window, since the last progress. */
  get failures(): number {
    this.#forgetOld(this.#now());
    return this.#failureTimes.length;
  }

  /** True once the wait the last failure asked for is over (always true before any failure). */
  get canAttempt(): boolean {
    return this.#now() >= this.#retryAt;
  }

  /** An attempt (request, stream, connection) starts now. */
  attemptStarted(): void {
    this.#attempts++;
    this.#attemptStartedAt = this.#now();
    this.#lastAnsweredAt = Number.NEGATIVE_INFINITY;
    this.#hasProgressed = false;
  }

  /**
   * The provider answered on the current attempt (any message: an interim, a speech event). Not
   * progress by itself; an attempt answered over `healthyAfterMs` is healthy.
   */
  answered(): void {
    this.#lastAnsweredAt = this.#now();
  }

  /** The provider made real progress (a final result, a whole answer): past failures are forgiven. */
  progressed(): void {
    this.#lastAnsweredAt = this.#now();
    this.#hasProgressed = true;
    this.#failureTimes = [];
  }

  /**
   * True when the current attempt made progress, or the provider was still answering on it
   * `healthyAfterMs` after it started. A stream that hangs silent is not healthy, however long.
   */
  get isHealthy(): boolean {
    return this.#hasProgressed || this.#lastAnsweredAt - this.#attemptStartedAt >= this.policy.healthyAfterMs;
  }

  /** The current attempt failed with `cause`: retry after a wait, or give up. */
  failed(cause: unknown): RetryDecision {
    const error = toVoxError(cause, this.#options.source);
    const now = this.#now();
    if (this.isHealthy) this.#failureTimes = [];
    this.#forgetOld(now);
    const shouldRetry = this.#options.shouldRetry ?? ((e: VoxError) => e.retryable);
    const isEndless = this.policy.maxRetries === Number.POSITIVE_INFINITY;
    if (!isEndless && !shouldRetry(error)) return { retry: false, error };
    const asked =
      error.code === 'provider_quota' ? (error as { retryAfterMs?: number }).retryAfterMs : undefined;
    if (!isEndless && asked !== undefined && asked > this.policy.maxDelayMs) return { retry: false, error };
    this.#failureTimes.push(now);
    const failures = this.#failureTimes.length;
    if (failures > this.policy.maxRetries) {
      // With no retry made, the failure itself is the clearest answer.
      if (this.#attempts <= 1) return { retry: false, error };
      return {
        retry: false,
        error: giveUpError(error, this.#attempts, this.policy.windowMs, this.#options.source),
      };
    }
    const delayMs = asked ?? backoffDelayMs(failures, this.policy, this.#options.random);
    this.#retryAt = now + delayMs;
    return { retry: true, delayMs, failures };
  }

  /**
   * The current attempt ended cleanly (a stream the provider closed). A healthy one is reopened
   * at once and costs nothing; one that ended before it was healthy counts as a failure, so a
   * provider that hangs up at once is not hammered (`cause` then says why; a generic
   * `ProviderUnavailableError` by default).
   */
  ended(cause?: unknown): RetryDecision {
    if (this.isHealthy) {
      this.#failureTimes = [];
      this.#retryAt = this.#now();
      return { retry: true, delayMs: 0, failures: 0 };
    }
    return this.failed(
      cause ?? toVoxError(new Error('the stream ended before it delivered anything'), this.#options.source),
    );
  }

  /** Runs `action` once the current wait is over, on the budget's scheduler. Unsubscribe to cancel. */
  schedule(action: () => void): Subscription {
    const delayMs = Math.max(0, this.#retryAt - this.#now());
    return this.#scheduler.schedule(action, delayMs);
  }

  #forgetOld(now: number): void {
    const oldest = now - this.policy.windowMs;
    while (this.#failureTimes.length > 0 && this.#failureTimes[0]! <= oldest) this.#failureTimes.shift();
  }
}
