/**
 * How far ahead of the service a stream may send. The service reads audio at about real time;
 * audio written faster only waits in gRPC buffers — and a stream replaced at a rotation takes
 * that unread audio with it, to be re-sent. So a stream sends at most `leadMs` past what the
 * service has shown it processed (the latest time in its results) or, in silence when it says
 * nothing, past the stream's wall-clock age. A new stream may also send its replay at once.
 */
export class SendLead {
  readonly #leadMs: number;
  readonly #now: () => number;
  #openedAt = 0;
  #processedMs = 0;
  #replayMs = 0;

  constructor(leadMs: number, now: () => number = () => performance.now()) {
    this.#leadMs = leadMs;
    this.#now = now;
  }

  /** A new stream opens; `replayMs` of replayed audio may go out at once. */
  streamStarted(replayMs: number): void {
    this.#openedAt = this.#now();
    this.#processedMs = 0;
    this.#replayMs = replayMs;
  }

  /** The service reported a result or event at `streamMs` (time from the stream's start). */
  processed(streamMs: number): void {
    if (streamMs > this.#processedMs) this.#processedMs = streamMs;
  }

  /** Wall ms to wait before the stream may hold `streamMs` of audio; 0 when it may now. */
  waitMs(streamMs: number): number {
    const reached = Math.max(this.#processedMs, this.#replayMs, this.#now() - this.#openedAt);
    return Math.max(0, streamMs - (reached + this.#leadMs));
  }
}
