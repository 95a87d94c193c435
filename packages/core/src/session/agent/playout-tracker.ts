/**
 * Where the listener's player is in one speech, from the server's side.
 *
 * The best evidence is the listener's own ack (`playedMs` at a moment); between acks, and for
 * listeners that never ack, playback is assumed to advance in real time from the first audio
 * chunk, stopped while paused, and never past the audio actually sent.
 */
export class PlayoutTracker {
  #emittedMs = 0;
  #startedAt: number | undefined;
  #ack: { playedMs: number; at: number; pausedMs: number } | undefined;
  #pausedAt: number | undefined;
  #pausedMs = 0;

  get emittedMs(): number {
    return this.#emittedMs;
  }

  get hasStarted(): boolean {
    return this.#startedAt !== undefined;
  }

  get isPaused(): boolean {
    return this.#pausedAt !== undefined;
  }

  /** The position the listener last confirmed; 0 when it never acked. */
  get lastAckedMs(): number {
    return this.#ack?.playedMs ?? 0;
  }

  audioEmitted(durationMs: number, now: number): void {
    if (this.#startedAt !== undefined && this.playedMs(now) >= this.#emittedMs) {
      // The listener has played everything sent and waited for more (the synthesizer was
      // slower than real time): playback goes on from here, not from where the clock would put
      // it had audio never run out — that position would run ahead of the listener by the wait.
      this.#ack = { playedMs: this.#emittedMs, at: now, pausedMs: this.#pausedTotal(now) };
    }
    this.#startedAt ??= now;
    this.#emittedMs += durationMs;
  }

  ack(playedMs: number, now: number): void {
    this.#ack = {
      playedMs: Math.max(0, Math.min(playedMs, this.#emittedMs)),
      at: now,
      pausedMs: this.#pausedTotal(now),
    };
  }

  pause(now: number): void {
    this.#pausedAt ??= now;
  }

  resume(now: number): void {
    if (this.#pausedAt === undefined) return;
    this.#pausedMs += now - this.#pausedAt;
    this.#pausedAt = undefined;
  }

  /** Milliseconds of this speech the listener has heard by `now`. */
  playedMs(now: number): number {
    if (this.#startedAt === undefined) return 0;
    const base = this.#ack ?? { playedMs: 0, at: this.#startedAt, pausedMs: 0 };
    const elapsed = now - base.at - (this.#pausedTotal(now) - base.pausedMs);
    return Math.max(0, Math.min(base.playedMs + Math.max(0, elapsed), this.#emittedMs));
  }

  remainingMs(now: number): number {
    return this.#emittedMs - this.playedMs(now);
  }

  #pausedTotal(now: number): number {
    return this.#pausedMs + (this.#pausedAt === undefined ? 0 : now - this.#pausedAt);
  }
}
