import type { Sentence, SpeechAudio } from '../frames/agent';

interface SentenceAudio {
  readonly text: string;
  startMs?: number;
  endMs?: number;
  /** Word start times from the TTS, relative to the speech start. */
  wordStartsMs: number[];
}

/**
 * Knows which words of a speech sit where in its audio, so an interrupted reply can be cut to
 * what the listener actually heard. Uses the TTS's word timings when it gave them, else spreads
 * a sentence's words evenly over its audio.
 */
export class HeardTextTracker {
  readonly #sentences = new Map<number, SentenceAudio>();

  addSentence(sentence: Pick<Sentence, 'index' | 'displayText'>): void {
    if (!this.#sentences.has(sentence.index)) {
      this.#sentences.set(sentence.index, { text: sentence.displayText, wordStartsMs: [] });
    }
  }

  addAudio(audio: Pick<SpeechAudio, 'sentenceIndex' | 'offsetMs' | 'durationMs' | 'words'>): void {
    const sentence = this.#sentences.get(audio.sentenceIndex);
    if (!sentence) return;
    sentence.startMs ??= audio.offsetMs;
    sentence.endMs = Math.max(sentence.endMs ?? 0, audio.offsetMs + audio.durationMs);
    for (const word of audio.words ?? []) sentence.wordStartsMs.push(sentence.startMs + word.startMs);
  }

  /** The whole text, sentences in order (optionally only the given sentence indexes). */
  fullText(indexes?: readonly number[]): string {
    return join(this.#ordered(indexes).map(([, s]) => s.text));
  }

  /** The words that had started playing by `playedMs` (optionally only the given sentences). */
  heardText(playedMs: number, indexes?: readonly number[]): string {
    const parts: string[] = [];
    for (const [, sentence] of this.#ordered(indexes)) {
      if (sentence.startMs === undefined || sentence.endMs === undefined || playedMs <= sentence.startMs) continue;
      if (playedMs >= sentence.endMs) {
        parts.push(sentence.text);
        continue;
      }
      const words = sentence.text.trim().split(/\s+/);
      const heardWords =
        sentence.wordStartsMs.length > 0
          ? sentence.wordStartsMs.filter((start) => start < playedMs).length
          : Math.floor((words.length * (playedMs - sentence.startMs)) / (sentence.endMs - sentence.startMs));
      if (heardWords > 0) parts.push(words.slice(0, heardWords).join(' '));
    }
    return join(parts);
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
