import type { AudioFrame } from '@voxduplex/core';

/** The average level (the DC offset) of microphone frames before and after the `audioIn` filter. */
export class DcMeter {
  readonly #sums = { before: 0, after: 0 };
  readonly #counts = { before: 0, after: 0 };

  /** Feed it from `cafePipeline`'s `onFiltered`. */
  readonly measure = (when: 'before' | 'after', frame: AudioFrame): void => {
    for (const sample of frame.samples) this.#sums[when] += sample;
    this.#counts[when] += frame.samples.length;
  };

  summary(): string {
    const mean = (when: 'before' | 'after') =>
      this.#counts[when] === 0 ? 0 : Math.round(this.#sums[when] / this.#counts[when]);
    const seconds = (this.#counts.before / 16000).toFixed(1);
    return `average level of ${seconds} s of microphone audio: ${mean('before')} before the filter, ${mean('after')} after`;
  }
}

/** A cheap microphone: adds a constant offset to every sample (clipped to Int16). */
export function withDcOffset(samples: Int16Array, offset: number): Int16Array {
  return samples.map((sample) => Math.max(-32768, Math.min(32767, sample + offset)));
}
