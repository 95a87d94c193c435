import type { AudioFrame } from '@voxduplex/core';
import { audioFrameDurationMs } from '@voxduplex/core';

/** Slack for float rounding between service offsets and frame times, ms. */
export const EDGE_TOLERANCE_MS = 1;

/**
 * The audio a recognizer has not turned into a final yet, so a replacement recognizer can be fed
 * it again after a failure. Trimmed at each final; capped at `maxMs` (oldest audio goes first).
 */
export class ReplayBuffer {
  #frames: AudioFrame[] = [];
  #head = 0;
  #durationMs = 0;

  constructor(private readonly maxMs: number) {}

  push(frame: AudioFrame): void {
    this.#frames.push(frame);
    this.#durationMs += audioFrameDurationMs(frame);
    while (this.#durationMs > this.maxMs && this.#head < this.#frames.length - 1) this.#dropHead();
    this.#compact();
  }

  /**
   * Forgets frames that end at or before `sessionMs` (the end of a final). A frame ending less
   * than {@link EDGE_TOLERANCE_MS} later counts as ended: replaying its sliver would make the
   * next recognizer hear a fragment of the utterance just finalized.
   */
  trimThrough(sessionMs: number): void {
    while (this.#head < this.#frames.length) {
      const frame = this.#frames[this.#head]!;
      if (frame.startMs + audioFrameDurationMs(frame) > sessionMs + EDGE_TOLERANCE_MS) break;
      this.#dropHead();
    }
    this.#compact();
  }

  /** The frames held, oldest first. */
  frames(): AudioFrame[] {
    return this.#frames.slice(this.#head);
  }

  #dropHead(): void {
    this.#durationMs -= audioFrameDurationMs(this.#frames[this.#head]!);
    this.#head++;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
  }
}
