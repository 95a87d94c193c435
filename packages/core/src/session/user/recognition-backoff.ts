import type { Clock } from '../../internal/clock';

/** How a lost recognition stream (STT or VAD) is reopened. */
export interface RecognitionRetryOptions {
  /** Wait after the first failure before a new stream is opened, ms. Doubles per failure. */
  readonly initialDelayMs: number;
  /** The longest wait between attempts, ms: attempts never come more often than this at worst. */
  readonly maxDelayMs: number;
}

/** Why a recognition stream stopped. */
export type RecognitionStopReason = 'failed' | 'ended';

/**
 * When a recognition stream may be opened again. A stream that worked (it delivered an event,
 * or lived `maxDelayMs`) and then *ended* is reopened at once — that is a provider rotating its
 * stream. A failure, or a stream that ended before it did anything, counts as a consecutive
 * failure and waits `initialDelayMs · 2^(failures−1)`, capped at `maxDelayMs`, so a provider
 * that is down is asked at a bounded rate and is used again as soon as it answers.
 *
 * No timer: the caller asks {@link canOpen} when audio arrives, so nothing runs (or is billed)
 * while the microphone is silent.
 */
export class RecognitionBackoff {
  readonly #options: RecognitionRetryOptions;
  readonly #now: Clock;
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;
  #openedAt = Number.NEGATIVE_INFINITY;
  #hasWorked = false;
  /** Streams lost so far (failed or ended), for the `recognition-lost` event. */
  losses = 0;

  constructor(options: RecognitionRetryOptions, now: Clock) {
    this.#options = options;
    this.#now = now;
  }

  /** Failures since the stream last worked. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  canOpen(): boolean {
    return this.#now() >= this.#retryAt;
  }

  opened(): void {
    this.#openedAt = this.#now();
    this.#hasWorked = false;
  }

  /** The stream delivered an event: the provider works. */
  worked(): void {
    this.#hasWorked = true;
    this.#failures = 0;
  }

  /** Records a lost stream; returns how long to wait before opening the next one, ms. */
  lost(reason: RecognitionStopReason): number {
    this.losses++;
    const now = this.#now();
    const wasHealthy = this.#hasWorked || now - this.#openedAt >= this.#options.maxDelayMs;
    if (wasHealthy) this.#failures = 0;
    if (reason === 'ended' && wasHealthy) {
      this.#retryAt = now;
      return 0;
    }
    this.#failures++;
    const delayMs = Math.min(
      this.#options.maxDelayMs,
      this.#options.initialDelayMs * 2 ** Math.min(30, this.#failures - 1),
    );
    this.#retryAt = now + delayMs;
    return delayMs;
  }
}
