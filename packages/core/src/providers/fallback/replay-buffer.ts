import { type AudioFrame, audioFrameDurationMs } from '../../frames/audio';

/**
 * The audio a recognition stream has not yet covered with a final: what the next recognizer
 * must hear when one fails, so no words are lost. Bounded to `maxMs` (the oldest audio goes
 * first).
 */
export class ReplayBuffer {
  #frames: AudioFrame[] = [];
  #durationMs = 0;

  constructor(readonly maxMs: number) {}

  get frames(): readonly AudioFrame[] {
    return this.#frames;
  }

  push(frame: AudioFrame): void {
    this.#frames.push(frame);
    this.#durationMs += audioFrameDurationMs(frame);
    while (this.#durationMs > this.maxMs && this.#frames.length > 0)
      this.#durationMs -= audioFrameDurationMs(this.#frames.shift()!);
  }

  /** Forgets the oldest frames beyond the last `ms` of audio. */
  keepLast(ms: number): void {
    while (this.#frames.length > 1 && this.#durationMs - audioFrameDurationMs(this.#frames[0]!) >= ms)
      this.#durationMs -= audioFrameDurationMs(this.#frames.shift()!);
  }

  /** Forgets the frames that end at or before `endMs` (a final covered them). */
  forgetUntil(endMs: number): void {
    const kept = this.#frames.filter((frame) => frame.startMs + audioFrameDurationMs(frame) > endMs);
    this.#frames = kept;
    this.#durationMs = kept.reduce((sum, frame) => sum + audioFrameDurationMs(frame), 0);
  }

  /** The end of the newest frame, ms on the audio timeline; `-Infinity` when empty. */
  get endMs(): number {
    const last = this.#frames.at(-1);
    return last ? last.startMs + audioFrameDurationMs(last) : Number.NEGATIVE_INFINITY;
  }
}
