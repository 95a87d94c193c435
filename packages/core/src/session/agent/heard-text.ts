import type { Sentence, SpeechAudio } from '../../frames/agent';

interface SentenceAudio {
  readonly text: string;
  startMs?: number;
  endMs?: number;
  /** True once all of the sentence's audio exists (a later sentence started, or the speech ended). */
  isComplete: boolean;
  /** Word start times from the TTS, relative to the speech start. */
  wordStartsMs: number[];
}

/** Speaking pace assumed for a sentence whose audio is unfinished, before any sentence finished. */
const DEFAULT_MS_PER_CHAR = 60;

/**
 * Knows which words of a speech sit where in its audio, so an interrupted reply can be cut to
 * what the listener actually heard. Uses the TTS's word timings when it gave them, else spreads
 * a sentence's words evenly over its audio. A sentence cut off mid-synthesis is measured at the
 * pace of the finished ones, so its unsynthesized words never count as heard.
 */
export class HeardTextTracker {
  readonly #sentences = new Map<number, SentenceAudio>();

  addSentence(sentence: Pick<Sentence, 'index' | 'displayText'>): void {
    if (!this.#sentences.has(sentence.index)) {
      this.#sentences.set(sentence.index, {
        text: sentence.displayText,
        isComplete: false,
        wordStartsMs: [],
      });
    }
  }

  addAudio(audio: Pick<SpeechAudio, 'sentenceIndex' | 'offsetMs' | 'durationMs' | 'words'>): void {
    const sentence = this.#sentences.get(audio.sentenceIndex);
    if (!sentence) return;
    for (const [index, earlier] of this.#sentences)
      if (index < audio.sentenceIndex) earlier.isComplete = true;
    sentence.startMs ??= audio.offsetMs;
    sentence.endMs = Math.max(sentence.endMs ?? 0, audio.offsetMs + audio.durationMs);
    for (const word of audio.words ?? []) sentence.wordStartsMs.push(sentence.startMs + word.startMs);
  }

  /** All audio of the speech exists. */
  complete(): void {
    for (const sentence of this.#sentences.values()) sentence.isComplete = true;
  }

  /** The whole text, sentences in order (optionally only the given sentence indexes). */
  fullText(indexes?: readonly number[]): string {
    return join(this.#ordered(indexes).map(([, s]) => s.text));
  }

  /**
   * The given sentences' text as written, joined without normalizing (line breaks stay): what a
   * finished speech stores in the history. A space is put between two sentences only where
   * neither brings whitespace of its own.
   */
  spokenText(indexes: readonly number[]): string {
    let text = '';
    for (const [, sentence] of this.#ordered(indexes)) {
      const needsSpace = text !== '' && !/\s$/.test(text) && !/^\s/.test(sentence.text);
      text += (needsSpace ? ' ' : '') + sentence.text;
    }
    return text;
  }

  /** The words that had started playing by `playedMs` (optionally only the given sentences). */
  heardText(playedMs: number, indexes?: readonly number[]): string {
    const msPerChar = this.#msPerChar();
    const parts: string[] = [];
    for (const [, sentence] of this.#ordered(indexes)) {
      const { startMs } = sentence;
      if (startMs === undefined || sentence.endMs === undefined || playedMs <= startMs) continue;
      const endMs = sentence.isComplete
        ? sentence.endMs
        : Math.max(sentence.endMs, startMs + sentence.text.length * msPerChar);
      if (playedMs >= endMs) {
        parts.push(sentence.text);
        continue;
      }
      const words = sentence.text.trim().split(/\s+/);
      const heardWords =
        sentence.wordStartsMs.length > 0
          ? sentence.wordStartsMs.filter((start) => start < playedMs).length
          : Math.floor((words.length * (playedMs - startMs)) / (endMs - startMs));
      if (heardWords > 0) parts.push(words.slice(0, heardWords).join(' '));
    }
    return join(parts);
  }

  /** Pace of this speech so far, from its finished sentences. */
  #msPerChar(): number {
    let ms = 0;
    let chars = 0;
    for (const s of this.#sentences.values()) {
      if (!s.isComplete || s.startMs === undefined || s.endMs === undefined) continue;
      ms += s.endMs - s.startMs;
      chars += s.text.length;
    }
    return chars > 0 ? ms / chars : DEFAULT_MS_PER_CHAR;
  }

  #ordered(indexes?: readonly number[]): [number, SentenceAudio][] {
    return [...this.#sentences.entries()]
      .filter(([index]) => indexes === undefined || indexes.includes(index))
      .sort(([a], [b]) => a - b);
  }
}

function join(parts: readonly string[]): string {
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
