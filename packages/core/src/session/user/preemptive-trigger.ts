import type { Transcript } from '../../frames/transcript';

/** The part of the agent's side that runs early replies. */
export interface PreemptiveTarget {
  /** Starts (or keeps) a held-back reply on these words. */
  preempt(text: string): void;
  /** The user's words so far are these: an early reply that answers other words is dropped. */
  dropPreemptUnlessFor(text: string): void;
}

/** The `preemptiveGeneration` settings the trigger reads. */
export interface PreemptiveTriggerOptions {
  readonly enabled: boolean;
  readonly minStability: number;
}

/**
 * Decides when a session starts its reply before the turn is confirmed (preemptive generation),
 * and on which words: every final, an interim at least `minStability` stable, or — for
 * recognizers whose interims carry no stability — a `speech-pause` (the voice stopped a short
 * while ago), on the words heard so far. When new words show the user went on, the early reply
 * is dropped at once rather than at the end of the turn, so its LLM and TTS work stops.
 *
 * ```
 * stt:     -i(what time)--i(what time is it)--p-------e--f(what time is it)--T
 * replies: ---------------------------------- R -----------------------------open R
 *                                              R = early reply on "what time is it", T = turn
 * ```
 */
export class PreemptiveTrigger {
  #finals: string[] = [];
  #interim = '';

  constructor(
    private readonly options: PreemptiveTriggerOptions,
    private readonly target: PreemptiveTarget,
  ) {}

  /** A non-empty interim or final of the user's current turn. */
  onTranscript(transcript: Transcript): void {
    if (transcript.isFinal) {
      this.#finals.push(transcript.text);
      this.#interim = '';
    } else this.#interim = transcript.text;
    if (!this.options.enabled) return;
    const words = this.#wordsSoFar();
    this.target.dropPreemptUnlessFor(words);
    if (transcript.isFinal || (transcript.stability ?? 0) >= this.options.minStability)
      this.target.preempt(words);
  }

  /** The activity source reports a short pause in the user's voice. */
  onPause(): void {
    if (this.options.enabled) this.target.preempt(this.#wordsSoFar());
  }

  /** The turn was committed: its words are no longer the words of the next turn. */
  onTurn(): void {
    this.#finals = [];
    this.#interim = '';
  }

  #wordsSoFar(): string {
    return [...this.#finals, this.#interim].join(' ').replace(/\s+/g, ' ').trim();
  }
}
