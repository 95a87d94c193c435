import { cleanForSpeech, isSpeakable } from './clean-for-speech';
import { classifyBreak, isWhitespace } from './sentence-boundary';
import type { ResolvedSentenceChunking } from './sentence-chunking-options';

/** One chunk of agent text: `text` for the synthesizer, `displayText` exactly as written. */
export interface SentenceChunk {
  /** Cleaned for speech by {@link cleanForSpeech}; never empty. */
  readonly text: string;
  /** The original slice of the input, whitespace that follows it included. */
  readonly displayText: string;
}

/**
 * Cuts the text of one speech into chunks as it streams in.
 *
 * Every cut is a function of the text alone, never of how it was split into pieces: a whitespace
 * run is judged only once the text that decides it is present (see `classifyBreak`). So feeding
 * the same text in any pieces yields the same chunks; only the moment they leave differs.
 *
 * A chunk leaves once something speakable follows it: if the speech then ended on text with
 * nothing to say (an emoji, stray markup) that tail is merged into it rather than sent alone.
 */
export class SentenceSegmenter {
  #text = '';
  /** Start of the chunk being gathered. */
  #chunkStart = 0;
  /** Whitespace runs before this position are settled and did not cut. */
  #scanFrom = 0;
  /** A cut chunk `[#heldStart, #chunkStart)` waiting for speakable text after it. */
  #heldStart: number | undefined;
  #isFirstChunk: boolean;

  /** @param isFirstChunk false when the speech already sent chunks (its first-chunk rule is spent). */
  constructor(
    private readonly settings: ResolvedSentenceChunking,
    isFirstChunk = true,
  ) {
    this.#isFirstChunk = isFirstChunk;
  }

  /** Adds text; returns the chunks that became certain. */
  push(text: string): SentenceChunk[] {
    this.#text += text;
    const ready = this.#cut(false);
    if (this.#heldStart !== undefined && isSpeakable(cleanForSpeech(this.#text.slice(this.#chunkStart)))) {
      ready.push(this.#release(this.#chunkStart));
    }
    return ready;
  }

  /** The speech is over: returns the remaining chunks. Nothing is returned if it had nothing speakable. */
  end(): SentenceChunk[] {
    const ready = this.#cut(true);
    const rest = toChunk(this.#text.slice(this.#chunkStart));
    if (isSpeakable(rest.text)) {
      if (this.#heldStart !== undefined) ready.push(this.#release(this.#chunkStart));
      ready.push(rest);
    } else if (this.#heldStart !== undefined) {
      ready.push(this.#release(this.#text.length));
    }
    this.#chunkStart = this.#text.length;
    this.#scanFrom = this.#text.length;
    return ready;
  }

  #cut(isComplete: boolean): SentenceChunk[] {
    const ready: SentenceChunk[] = [];
    const text = this.#text;
    let position = this.#scanFrom;
    while (position < text.length) {
      let runStart = position;
      while (runStart < text.length && !isWhitespace(text[runStart])) runStart++;
      let runEnd = runStart;
      while (runEnd < text.length && isWhitespace(text[runEnd])) runEnd++;
      // A run touching the end may grow; at the end of the speech it is the tail of the last chunk.
      if (runEnd === text.length) {
        position = runStart;
        break;
      }
      if (runStart > this.#chunkStart) {
        const kind = classifyBreak(text, runStart, runEnd, isComplete, this.settings.abbreviations);
        if (kind === 'pending') {
          position = runStart;
          break;
        }
        if (kind === 'sentence' || (kind === 'clause' && this.#isFirstChunk)) {
          const cleaned = cleanForSpeech(text.slice(this.#chunkStart, runEnd));
          const minChars = this.#isFirstChunk ? this.settings.firstChunkMinChars : this.settings.minChars;
          if (cleaned.length >= minChars && isSpeakable(cleaned)) {
            // The chunk just cut is speakable, so the one it held back can go.
            if (this.#heldStart !== undefined) ready.push(this.#release(this.#chunkStart));
            this.#heldStart = this.#chunkStart;
            this.#chunkStart = runEnd;
            this.#isFirstChunk = false;
          }
        }
      }
      position = runEnd;
    }
    this.#scanFrom = position;
    return ready;
  }

  #release(end: number): SentenceChunk {
    const chunk = toChunk(this.#text.slice(this.#heldStart, end));
    this.#heldStart = undefined;
    return chunk;
  }
}

function toChunk(displayText: string): SentenceChunk {
  return { text: cleanForSpeech(displayText), displayText };
}
