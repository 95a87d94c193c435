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
 * adapted to how late audio arrives. An underrun that lasted `starved` frames means a delivery
 * stall of about `target + starved` (the buffer held up to `target`); the target grows to half as
 * much again as that stall (at least one step more), bounded by `maxFrames`: delivery on a busy
 * link stalls again, often longer. After `stableFrames` played without an underrun it shrinks by
 * one step, never below `baseFrames`. Growing trades some start-up latency for fewer audible
 * gaps; it never delays an interrupt (a fade starts on whatever is playing).
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
    const stall = this.#frames + Math.max(0, starvedFrames);
    const next = Math.min(
      this.options.maxFrames,
      Math.max(this.#frames + this.options.stepFrames, Math.round(1.5 * stall)),
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
