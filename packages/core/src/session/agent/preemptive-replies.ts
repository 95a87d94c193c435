import { wordsOf } from '../../operators/words';
import type { SpeechRun } from './speech-run';

/**
 * The reply started early on a tentative transcript (preemptive generation), and how many early
 * starts were thrown away since the last turn — the cost users should see in their metrics.
 */
export class PreemptiveReplies {
  #run: SpeechRun | undefined;
  #wasted = 0;

  /** Whether the running early reply already answers these words. */
  isRunningFor(text: string): boolean {
    return this.#run !== undefined && sameWords(this.#run.userText ?? '', text);
  }

  /** Keeps `run` as the early reply, discarding (and counting) any previous one. */
  replace(run: SpeechRun): void {
    this.drop(true);
    this.#run = run;
  }

  /** The early reply if it answers exactly `text`; otherwise it is discarded and counted. */
  take(text: string): SpeechRun | undefined {
    const run = this.#run;
    if (!run) return undefined;
    this.#run = undefined;
    if (sameWords(run.userText ?? '', text)) return run;
    run.cancel();
    this.#wasted++;
    return undefined;
  }

  /** Discards (and counts) the early reply unless it answers exactly `text`. */
  dropUnlessFor(text: string): void {
    if (this.#run && !this.isRunningFor(text)) this.drop(true);
  }

  drop(isWasted = false): void {
    if (!this.#run) return;
    this.#run.cancel();
    this.#run = undefined;
    if (isWasted) this.#wasted++;
  }

  /** Wasted early starts since the last call. */
  takeWastedCount(): number {
    const wasted = this.#wasted;
    this.#wasted = 0;
    return wasted;
  }
}

function sameWords(a: string, b: string): boolean {
  return wordsOf(a).join(' ') === wordsOf(b).join(' ');
}
