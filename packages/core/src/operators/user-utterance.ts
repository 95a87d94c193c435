/**
 * What barge-in knows of the user's current (or last) utterance: when it began, whether the
 * voice goes on, how long it was voiced, and whether it paused — so that words can be judged by
 * the voice they came from rather than by when a busy recognizer delivered them.
 *
 * Lengths are measured on the audio timeline when the detector gives positions (`atMs`), else
 * on the clock.
 */
export class UserUtterance {
  readonly #now: () => number;
  #onset: { readonly at: number; readonly atMs: number | undefined } | undefined;
  #isSpeaking = false;
  /** How long the finished utterance was voiced. */
  #voicedMs: number | undefined;
  /** The voice paused this long after its onset and has not been heard going on since. */
  #pausedAfterMs: number | undefined;
  /** A final came after that pause: words after it mean the user went on. */
  #hasFinalSincePause = false;
  #lastWordCount = 0;
  #wordsAtPause = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The voice is going on (an onset, no end yet). */
  get isSpeaking(): boolean {
    return this.#isSpeaking;
  }

  started(atMs: number | undefined): void {
    this.#onset = { at: this.#now(), atMs };
    this.#isSpeaking = true;
    this.#voicedMs = this.#pausedAfterMs = undefined;
    this.#hasFinalSincePause = false;
    this.#lastWordCount = 0;
  }

  /** The detector's short pause: what was said so far may be all of it. */
  paused(atMs: number | undefined): void {
    if (!this.#isSpeaking || !this.#onset) return;
    this.#pausedAfterMs = this.#lengthAt(atMs);
    this.#hasFinalSincePause = false;
    this.#wordsAtPause = this.#lastWordCount;
  }

  ended(atMs: number | undefined): void {
    this.#isSpeaking = false;
    if (this.#onset) this.#voicedMs = this.#lengthAt(atMs);
  }

  /**
   * A transcript of `wordCount` words arrived (call before judging it). Words after the pause's
   * final, or more words than before the pause, mean the user went on after it.
   */
  heard(wordCount: number, isFinal: boolean): void {
    if (isFinal) this.#hasFinalSincePause = this.#pausedAfterMs !== undefined;
    else if (this.#hasFinalSincePause || wordCount > this.#wordsAtPause) this.#pausedAfterMs = undefined;
    this.#lastWordCount = wordCount;
  }

  /** Clock time left until `windowMs` after the onset (negative once past). */
  msUntil(windowMs: number): number {
    return (this.#onset?.at ?? this.#now()) + windowMs - this.#now();
  }

  /**
   * The words so far could still be a backchannel: the voice began less than `windowMs` ago, or
   * paused before that and has not gone on (the words are late).
   */
  isWithin(windowMs: number): boolean {
    return this.msUntil(windowMs) > 0 || this.hasPausedWithin(windowMs);
  }

  /** The voice paused before `windowMs` of it, and has not gone on since. */
  hasPausedWithin(windowMs: number): boolean {
    return this.#pausedAfterMs !== undefined && this.#pausedAfterMs < windowMs;
  }

  /** The utterance is over and was voiced for less than `windowMs`: at most a rough backchannel. */
  wasShorterThan(windowMs: number): boolean {
    return !this.#isSpeaking && this.#voicedMs !== undefined && this.#voicedMs < windowMs;
  }

  #lengthAt(atMs: number | undefined): number {
    const onset = this.#onset;
    if (!onset) return 0;
    return atMs !== undefined && onset.atMs !== undefined ? atMs - onset.atMs : this.#now() - onset.at;
  }
}
