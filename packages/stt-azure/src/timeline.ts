import type { AudioFrame } from '@voxduplex/core';
import { audioFrameDurationMs } from '@voxduplex/core';

interface Anchor {
  readonly recognizerMs: number;
  readonly sessionMs: number;
}

/**
 * Maps positions in one recognizer's audio (what it was pushed, gapless) back to the session's
 * audio timeline ({@link AudioFrame.startMs}), which may have gaps and starts wherever the
 * recognizer took over.
 */
export class RecognizerTimeline {
  readonly #anchors: Anchor[] = [];
  #pushedMs = 0;
  #expectedStartMs: number | undefined;

  /** Audio pushed so far, ms. */
  get pushedMs(): number {
    return this.#pushedMs;
  }

  /** Records that `frame` was pushed next. */
  append(frame: AudioFrame): void {
    if (this.#expectedStartMs === undefined || Math.abs(frame.startMs - this.#expectedStartMs) > 0.5) {
      this.#anchors.push({ recognizerMs: this.#pushedMs, sessionMs: frame.startMs });
    }
    const durationMs = audioFrameDurationMs(frame);
    this.#pushedMs += durationMs;
    this.#expectedStartMs = frame.startMs + durationMs;
  }

  /** The session position of a recognizer position (both ms), rounded to the microsecond. */
  toSessionMs(recognizerMs: number): number {
    const anchors = this.#anchors;
    if (anchors.length === 0) return Math.round(recognizerMs * 1000) / 1000;
    let low = 0;
    let high = anchors.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (anchors[middle]!.recognizerMs <= recognizerMs) low = middle;
      else high = middle - 1;
    }
    const anchor = anchors[low]!;
    // Rounded so float drift over hours of 20 ms frames never moves a time across a frame edge.
    return Math.round((anchor.sessionMs + (recognizerMs - anchor.recognizerMs)) * 1000) / 1000;
  }
}
