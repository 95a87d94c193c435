import type { VadEvent } from '@voxduplex/core';

/** The decision rules of {@link SpeechGate}, all times in ms. */
export interface SpeechGateOptions {
  /** A window at or above this probability is speech. */
  readonly threshold: number;
  /** Speech ends only after windows below this probability (hysteresis); `< threshold`. */
  readonly negativeThreshold: number;
  /** Speech must last this long (above `negativeThreshold`) before `speech-start` is emitted. */
  readonly minSpeechMs: number;
  /** Silence must last this long before `speech-end` is emitted. */
  readonly minSilenceMs: number;
  /** Moves the reported start earlier and the end later by this much. */
  readonly speechPadMs: number;
  /**
   * Silence after which a `speech-pause` is reported, once per silence, while waiting for
   * `minSilenceMs`; `undefined` for none. Only useful below `minSilenceMs`.
   */
  readonly pauseMs?: number | undefined;
}

/**
 * Turns per-window speech probabilities into `speech-start` / `speech-end` events, with
 * hysteresis (start at `threshold`, end below `negativeThreshold`), a minimum speech length
 * (shorter bursts are never reported) and a minimum silence (shorter pauses do not split).
 * Reported times are where the speech really began and ended, padded by `speechPadMs`; they
 * are emitted `minSpeechMs` / `minSilenceMs` later, once confirmed. With `pauseMs`, a silence
 * that lasts that long first gets a `speech-pause` (same time as its `speech-end` would have):
 * the user may have finished, so work can start before the end is certain. Pure: no I/O, no clock.
 *
 * ```
 * probability: ..▁▁▇▇▇▇▇▇▅▇▁▁▁▁▁▁▁▁..
 * events:      ......s.......p.e.....   s = speech-start at the first ▇ (−pad), p = speech-pause
 *                                           after pauseMs, e = speech-end after minSilenceMs,
 *                                           both at the first ▁ (+pad)
 * ```
 */
export class SpeechGate {
  #phase: 'silence' | 'onset' | 'speech' | 'offset' = 'silence';
  #onsetMs = 0;
  #offsetMs = 0;
  #lastEndMs = 0;
  #hasPaused = false;

  constructor(private readonly options: SpeechGateOptions) {}

  /** True between a `speech-start` and its `speech-end`. */
  get isSpeaking(): boolean {
    return this.#phase === 'speech' || this.#phase === 'offset';
  }

  /**
   * Feeds one window (`startMs`…`endMs` on the audio timeline) and its probability; returns
   * the event it confirms, if any.
   */
  push(probability: number, startMs: number, endMs: number): VadEvent | undefined {
    const { threshold, negativeThreshold, minSpeechMs, minSilenceMs, speechPadMs } = this.options;
    switch (this.#phase) {
      case 'silence':
        if (probability < threshold) return undefined;
        this.#phase = 'onset';
        this.#onsetMs = startMs;
        return this.#confirmOnset(probability, endMs, minSpeechMs, speechPadMs);
      case 'onset':
        if (probability < negativeThreshold) {
          this.#phase = 'silence';
          return undefined;
        }
        return this.#confirmOnset(probability, endMs, minSpeechMs, speechPadMs);
      case 'speech':
        if (probability >= negativeThreshold) return undefined;
        this.#phase = 'offset';
        this.#offsetMs = startMs;
        this.#hasPaused = false;
        return this.#confirmOffset(probability, endMs, minSilenceMs, speechPadMs);
      case 'offset':
        if (probability >= threshold) {
          this.#phase = 'speech';
          return undefined;
        }
        return this.#confirmOffset(probability, endMs, minSilenceMs, speechPadMs);
    }
  }

  /** Ends open speech at `atMs` (the end of the audio); nothing if no speech is open. */
  flush(atMs: number, probability: number): VadEvent | undefined {
    if (!this.isSpeaking) {
      this.#phase = 'silence';
      return undefined;
    }
    const endMs = this.#phase === 'offset' ? Math.min(atMs, this.#offsetMs + this.options.speechPadMs) : atMs;
    this.#phase = 'silence';
    this.#lastEndMs = endMs;
    return { type: 'speech-end', atMs: endMs, probability };
  }

  #confirmOnset(
    probability: number,
    endMs: number,
    minSpeechMs: number,
    padMs: number,
  ): VadEvent | undefined {
    if (endMs - this.#onsetMs < minSpeechMs) return undefined;
    this.#phase = 'speech';
    return { type: 'speech-start', atMs: Math.max(this.#lastEndMs, this.#onsetMs - padMs, 0), probability };
  }

  #confirmOffset(
    probability: number,
    endMs: number,
    minSilenceMs: number,
    padMs: number,
  ): VadEvent | undefined {
    if (endMs - this.#offsetMs < minSilenceMs) return this.#notePause(probability, endMs, padMs);
    this.#phase = 'silence';
    this.#lastEndMs = Math.min(this.#offsetMs + padMs, endMs);
    return { type: 'speech-end', atMs: this.#lastEndMs, probability };
  }

  #notePause(probability: number, endMs: number, padMs: number): VadEvent | undefined {
    const { pauseMs } = this.options;
    if (pauseMs === undefined || this.#hasPaused || endMs - this.#offsetMs < pauseMs) return undefined;
    this.#hasPaused = true;
    return { type: 'speech-pause', atMs: Math.min(this.#offsetMs + padMs, endMs), probability };
  }
}
