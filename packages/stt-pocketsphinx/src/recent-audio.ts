/**
 * The last few seconds of audio fed to the decoder, as the chunks it came in, so a short
 * utterance can be decoded a second time.
 */
export class RecentAudio {
  readonly #keepMs: number;
  readonly #chunks: { readonly startMs: number; readonly samples: Int16Array }[] = [];
  readonly #sampleRate: number;

  constructor(keepMs: number, sampleRate: number) {
    this.#keepMs = keepMs;
    this.#sampleRate = sampleRate;
  }

  /** Adds a chunk; chunks that ended more than `keepMs` before its end are let go. */
  push(samples: Int16Array, startMs: number): void {
    this.#chunks.push({ startMs, samples });
    const endMs = startMs + this.#lengthMs(samples);
    while (this.#chunks.length > 1) {
      const first = this.#chunks[0]!;
      if (first.startMs + this.#lengthMs(first.samples) >= endMs - this.#keepMs) break;
      this.#chunks.shift();
    }
  }

  /** The samples from `fromMs` (to the sample) to `toMs`, or to the end of the last chunk. */
  between(fromMs: number, toMs = Number.POSITIVE_INFINITY): Int16Array {
    const pieces: Int16Array[] = [];
    for (const { startMs, samples } of this.#chunks) {
      const skip = Math.max(0, this.#samplesIn(fromMs - startMs));
      const end = Math.min(samples.length, this.#samplesIn(toMs - startMs));
      if (skip < end) pieces.push(samples.subarray(skip, end));
    }
    const joined = new Int16Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
    let at = 0;
    for (const piece of pieces) {
      joined.set(piece, at);
      at += piece.length;
    }
    return joined;
  }

  #samplesIn(ms: number): number {
    return Number.isFinite(ms) ? Math.round((ms * this.#sampleRate) / 1000) : ms;
  }

  #lengthMs(samples: Int16Array): number {
    return (samples.length / this.#sampleRate) * 1000;
  }
}
