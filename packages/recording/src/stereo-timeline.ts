/** Which side of the call a sample belongs to: the left channel is the user, the right the agent. */
export type CallChannel = 'user' | 'agent';

const CHANNEL_INDEX: Record<CallChannel, number> = { user: 0, agent: 1 };

/**
 * The not-yet-written end of a stereo recording: interleaved Int16 frames from `writtenFrames`
 * on. Each side writes at a frame position; `take` hands out the settled part and forgets it,
 * so memory holds only the stretch between the last write-out and the newest audio.
 */
export class StereoTimeline {
  #buffer = new Int16Array(0);
  /** Frames handed out so far: the position of `#buffer[0]`. */
  #writtenFrames = 0;
  #endFrame = 0;
  /** Samples that came too late (before `writtenFrames`) and were dropped. */
  lateFrames = 0;

  get writtenFrames(): number {
    return this.#writtenFrames;
  }

  /** One past the last frame any side wrote. */
  get endFrame(): number {
    return this.#endFrame;
  }

  /** Bytes held (the pending buffer's capacity). */
  get heldBytes(): number {
    return this.#buffer.byteLength;
  }

  /** Writes mono `samples[from..to)` into one side, the first at frame `atFrame` (overwriting). */
  write(channel: CallChannel, atFrame: number, samples: Int16Array, from = 0, to = samples.length): void {
    const offset = CHANNEL_INDEX[channel];
    const first = Math.round(atFrame) - this.#writtenFrames;
    const skip = Math.max(0, -first);
    if (skip > 0) this.lateFrames += Math.min(skip, to - from);
    if (from + skip >= to) return;
    this.#ensure(first + (to - from));
    this.#endFrame = Math.max(this.#endFrame, this.#writtenFrames + first + (to - from));
    for (let i = from + skip; i < to; i++) this.#buffer[(first + i - from) * 2 + offset] = samples[i]!;
  }

  /** Silences one side from frame `fromFrame` to `toFrame` (what has not been handed out yet). */
  clear(channel: CallChannel, fromFrame: number, toFrame: number): void {
    const offset = CHANNEL_INDEX[channel];
    const first = Math.max(0, Math.round(fromFrame) - this.#writtenFrames);
    const last = Math.min(this.#buffer.length / 2, Math.round(toFrame) - this.#writtenFrames);
    for (let frame = first; frame < last; frame++) this.#buffer[frame * 2 + offset] = 0;
  }

  /** Hands out the interleaved frames before `toFrame` (silence where nothing was written). */
  take(toFrame: number): Int16Array {
    const count = Math.max(0, Math.round(toFrame) - this.#writtenFrames);
    if (count === 0) return new Int16Array(0);
    this.#ensure(count);
    const out = this.#buffer.slice(0, count * 2);
    this.#buffer.copyWithin(0, count * 2);
    this.#buffer.fill(0, this.#buffer.length - count * 2);
    this.#writtenFrames += count;
    return out;
  }

  #ensure(frames: number): void {
    if (frames * 2 <= this.#buffer.length) return;
    // Grow by half again: the window settles at its working size after a few writes.
    const grown = new Int16Array(Math.max(frames * 2, Math.ceil(this.#buffer.length * 1.5)));
    grown.set(this.#buffer);
    this.#buffer = grown;
  }
}
