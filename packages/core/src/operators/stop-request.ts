import { isStopPhrase, wordsOf } from './words';

/**
 * Whether the user's utterance asks the agent to stop, judged from its final transcript and the
 * interims before it. A recognizer that rescores its final may lose a short stop its interims
 * heard (PocketSphinx: interim "stop", final "op"): a final no longer than an interim that was
 * a bare stop phrase is taken for that stop. A final with more words than the stop (the user
 * went on: "stop, what time is it") is judged by its own words.
 */
export class StopRequest {
  readonly #phrases: readonly string[];
  /** Words of the longest interim so far that was a bare stop phrase. */
  #stopWords: number | undefined;

  constructor(phrases: readonly string[]) {
    this.#phrases = phrases;
  }

  /** An interim of the utterance. */
  heardInterim(text: string): void {
    if (isStopPhrase(text, this.#phrases))
      this.#stopWords = Math.max(this.#stopWords ?? 0, wordsOf(text).length);
  }

  /** The final (or the whole turn's text) asks to stop. */
  isStop(finalText: string): boolean {
    if (isStopPhrase(finalText, this.#phrases)) return true;
    const words = wordsOf(finalText).length;
    return this.#stopWords !== undefined && words > 0 && words <= this.#stopWords;
  }

  /** A new utterance begins: what the last one's interims heard no longer counts. */
  reset(): void {
    this.#stopWords = undefined;
  }
}
