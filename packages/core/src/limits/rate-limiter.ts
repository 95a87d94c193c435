/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. `take()` answers whether
 * one more message fits. Transports use one per connection to drop floods. The clock is
 * injectable for tests.
 */
export class RateLimiter {
  #tokens: number;
  #lastMs: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#lastMs = now();
  }

  take(): boolean {
    const nowMs = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((nowMs - this.#lastMs) / 1000) * this.perSecond);
    this.#lastMs = nowMs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
