/** Tuning of a {@link JitterTarget}, in frames at the output rate. */
export interface JitterTargetOptions {
  /** The target to start from and never go below. */
  readonly baseFrames: number;
  /** The target never goes above this (equal to `baseFrames`: a fixed buffer). */
  readonly maxFrames: number;
  /** Least growth after an underrun, and the size of each shrink. */
  readonly stepFrames: number;
  /** Played frames without an underrun before the target shrinks by one step. */
  readonly stableFrames: number;
}

/**
 * How much audio the player holds before it starts a speech or continues after an underrun,
 * adapted to how late audio arrives: after an underrun that lasted `starved` frames the target
 * grows by that much plus a step (the delivery was that late, and may be again), bounded by
 * `maxFrames`; after `stableFrames` played without an underrun it shrinks back by one step,
 * never below `baseFrames`. Growing trades a little start-up latency for fewer audible gaps;
 * it never delays an interrupt (a fade starts on whatever is playing).
 */
export class JitterTarget {
  #frames: number;
  #stablePlayed = 0;

  constructor(private readonly options: JitterTargetOptions) {
    this.#frames = options.baseFrames;
  }

  /** The current target, frames. */
  get frames(): number {
    return this.#frames;
  }

  /** An underrun of `starvedFrames` of silence happened. Returns true when the target changed. */
  grow(starvedFrames: number): boolean {
    this.#stablePlayed = 0;
    const next = Math.min(
      this.options.maxFrames,
      this.#frames + Math.max(0, starvedFrames) + this.options.stepFrames,
    );
    if (next === this.#frames) return false;
    this.#frames = next;
    return true;
  }

  /** `frames` of speech played without an underrun. Returns true when the target shrank. */
  played(frames: number): boolean {
    if (this.#frames <= this.options.baseFrames) return false;
    this.#stablePlayed += frames;
    if (this.#stablePlayed < this.options.stableFrames) return false;
    this.#stablePlayed = 0;
    this.#frames = Math.max(this.options.baseFrames, this.#frames - this.options.stepFrames);
    return true;
  }
}
