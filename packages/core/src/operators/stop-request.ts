import { isStopPhrase, wordsOf } from './words';

/**
 * Whether the user's utterance asks the agent to stop, judged from its final transcript and the
 * other readings the recognizer gave of it: its interims, and a final's `alternatives`. A
 * recognizer may lose a short stop in its final that another reading heard (PocketSphinx:
 * interim "stop", final "op"; or a reading restricted to stop phrases and backchannels, "quiet"
 * where the final says "wear it"). An interim that was a bare stop phrase makes a final no longer
 * than it a stop; an alternative that was one makes its own final a stop (it read the same
 * speech). A final with more words than that (the user went on: "stop, what time is it") is
 * judged by its own words.
 */
export class StopRequest {
  readonly #phrases: readonly string[];
  /** Words of the longest reading so far that was a bare stop phrase. */
  #stopWords: number | undefined;

  constructor(phrases: readonly string[]) {
    this.#phrases = phrases;
  }

  /** An interim of the utterance. */
  heardInterim(text: string): void {
    if (isStopPhrase(text, this.#phrases)) this.#noteStop(wordsOf(text).length);
  }

  /** A final of the utterance and its `alternatives` (call before {@link isStop}). */
  heardFinal(text: string, alternatives: readonly string[] = []): void {
    if (alternatives.some((reading) => isStopPhrase(reading, this.#phrases)))
      this.#noteStop(wordsOf(text).length);
  }

  /** The final (or the whole turn's text) asks to stop. */
  isStop(finalText: string): boolean {
    if (isStopPhrase(finalText, this.#phrases)) return true;
    const words = wordsOf(finalText).length;
    return this.#stopWords !== undefined && words > 0 && words <= this.#stopWords;
  }

  /** A new utterance begins: what the last one's readings heard no longer counts. */
  reset(): void {
    this.#stopWords = undefined;
  }

  #noteStop(words: number): void {
    this.#stopWords = Math.max(this.#stopWords ?? 0, words);
  }
}
