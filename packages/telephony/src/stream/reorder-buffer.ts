/** Counters of one {@link ReorderBuffer}. */
export interface ReorderStats {
  /** Frames that came after a later one, within the window, and were put back in place. */
  readonly reordered: number;
  /** Frames that came after their place was filled with silence: dropped. */
  readonly late: number;
  /** Frames whose number had been seen already: dropped. */
  readonly duplicates: number;
  /** Frames of silence put where a frame never came. */
  readonly filled: number;
}

/** Options of {@link ReorderBuffer}. */
export interface ReorderBufferOptions {
  /**
   * Frames held behind a missing one before it is given up and filled with silence: the most a
   * gap delays the caller's audio, in frames (3 → 60 ms at 20 ms a frame).
   */
  readonly windowFrames: number;
  /**
   * Largest gap filled with silence, frames. A larger jump of the numbering is taken as the
   * carrier renumbering, not as lost audio, and nothing is filled (nor is minutes of silence).
   */
  readonly maxGapFrames: number;
  /** A frame of silence as long as `like`. */
  readonly silence: (like: Uint8Array) => Uint8Array;
  /** Receives the frames in order, gaps filled. */
  readonly release: (payload: Uint8Array) => void;
}

/**
 * Puts numbered media frames back in order (Telnyx does not promise order): a frame that comes
 * ahead of its turn waits until the missing ones arrive, but at most `windowFrames` frames wait;
 * then the missing ones are filled with silence of the same length, so the caller's audio keeps
 * its time (the recognizer's timestamps, the turn detector's silences). A frame that comes after
 * its place was filled, or twice, is dropped and counted. In-order frames pass at once. Never
 * more silence is filled than frames were received, so a stream sending jumps in its numbering
 * cannot make the recognizer hear more than twice the audio it sent.
 *
 * Numbering starts at 1; a stream first seen further on (past the window) starts where it is.
 */
export class ReorderBuffer {
  readonly #options: ReorderBufferOptions;
  readonly #held = new Map<number, Uint8Array>();
  /** Numbers recently filled with silence: a frame with one of them is late, not a duplicate. */
  readonly #filled = new Set<number>();
  #next: number | undefined;
  #received = 0;
  #stats = { reordered: 0, late: 0, duplicates: 0, filled: 0 };

  constructor(options: ReorderBufferOptions) {
    this.#options = options;
  }

  get stats(): ReorderStats {
    return { ...this.#stats };
  }

  /** One frame; `chunk` undefined (the carrier does not number them) passes straight through. */
  push(chunk: number | undefined, payload: Uint8Array): void {
    if (chunk === undefined) {
      this.#options.release(payload);
      return;
    }
    this.#next ??= chunk <= this.#options.windowFrames + 1 ? 1 : chunk;
    if (chunk < this.#next || this.#held.has(chunk)) {
      if (this.#filled.has(chunk)) this.#stats.late++;
      else this.#stats.duplicates++;
      return;
    }
    if (chunk === this.#next && this.#held.size > 0) this.#stats.reordered++;
    this.#received++;
    this.#held.set(chunk, payload);
    this.#drain();
    while (this.#held.size > this.#options.windowFrames) this.#skipGap();
  }

  /** Releases everything held, gaps filled (the stream ended). */
  flush(): void {
    while (this.#held.size > 0) this.#skipGap();
  }

  #drain(): void {
    for (let payload = this.#held.get(this.#next!); payload; payload = this.#held.get(this.#next!)) {
      this.#held.delete(this.#next!);
      this.#next!++;
      this.#options.release(payload);
    }
  }

  /** Gives up on the first missing frame(s): silence in their place, then what follows. */
  #skipGap(): void {
    const first = Math.min(...this.#held.keys());
    const like = this.#held.get(first)!;
    const missing = first - this.#next!;
    const isLoss = missing <= this.#options.maxGapFrames && this.#stats.filled + missing <= this.#received;
    for (let i = 0; isLoss && i < missing; i++) {
      this.#filled.add(this.#next! + i);
      if (this.#filled.size > 256) this.#filled.delete(this.#filled.values().next().value!);
      this.#stats.filled++;
      this.#options.release(this.#options.silence(like));
    }
    this.#next = first;
    this.#drain();
  }
}
