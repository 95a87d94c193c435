import { floatToInt16 } from '@voxduplex/core/dsp';

/**
 * Cuts a stream of float samples into fixed-size Int16 frames (e.g. 320 samples = 20 ms at
 * 16 kHz). Leftovers wait for the next push; nothing is padded or dropped.
 */
export class FrameChunker {
  private readonly pending: Float32Array;
  private filled = 0;

  constructor(readonly frameSamples: number) {
    if (!(Number.isInteger(frameSamples) && frameSamples > 0)) {
      throw new RangeError(`frameSamples must be a positive integer, got ${frameSamples}`);
    }
    this.pending = new Float32Array(frameSamples);
  }

  /** Adds samples; returns the frames completed by them (possibly none). */
  push(samples: Float32Array): Int16Array[] {
    const frames: Int16Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const n = Math.min(this.frameSamples - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameSamples) {
        frames.push(floatToInt16(this.pending));
        this.filled = 0;
      }
    }
    return frames;
  }
}
