/** Limits on audio sent to a recognizer a second time, ms of audio. */
export interface ResendLimits {
  /** Most audio re-sent into one new stream. */
  readonly maxPerAttemptMs: number;
  /** Most audio re-sent over any 60 s of the allowance's clock (wall time, or audio time), all streams together. */
  readonly maxPerMinuteMs: number;
}

const MINUTE_MS = 60_000;

/**
 * A hard cap on re-sent (billed again) audio. Streaming recognizers replay the audio no final
 * covers yet into a new stream after a failure or a rotation; a service that keeps failing
 * would otherwise be sent the same audio again and again. Ask {@link grant} before each replay
 * and replay only what it allows (the newest part: the oldest audio is dropped first).
 *
 * @example
 * ```ts
 * const resend = new ResendAllowance({ maxPerAttemptMs: 10_000, maxPerMinuteMs: 30_000 });
 * const replayMs = resend.grant(unfinalizedMs); // ≤ 10 s, and ≤ what is left of this minute's 30 s
 * ```
 */
export class ResendAllowance {
  readonly limits: ResendLimits;
  readonly #now: () => number;
  #grants: { readonly at: number; readonly ms: number }[] = [];
  #totalMs = 0;

  /**
   * `now` is the clock the minute is measured on, ms: wall time by default; a recognizer may pass
   * the audio it received, so a file fed faster than real time is bounded per minute of audio.
   */
  constructor(limits: ResendLimits, now: () => number = Date.now) {
    this.limits = limits;
    this.#now = now;
  }

  /** Audio re-sent so far, ms, all streams together. */
  get totalMs(): number {
    return this.#totalMs;
  }

  /** Audio that may still be re-sent in the current minute, ms. */
  get remainingThisMinuteMs(): number {
    const now = this.#now();
    this.#grants = this.#grants.filter((grant) => grant.at > now - MINUTE_MS);
    const used = this.#grants.reduce((sum, grant) => sum + grant.ms, 0);
    return Math.max(0, this.limits.maxPerMinuteMs - used);
  }

  /** How much of `wantedMs` may be re-sent now, ms; the answer is counted as re-sent. */
  grant(wantedMs: number): number {
    const ms = Math.max(0, Math.min(wantedMs, this.limits.maxPerAttemptMs, this.remainingThisMinuteMs));
    if (ms > 0) {
      this.#grants.push({ at: this.#now(), ms });
      this.#totalMs += ms;
    }
    return ms;
  }
}
