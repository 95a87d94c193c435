import type { PipelineStage, Sentence, SpeechContext } from '@voxduplex/core';
import { map } from 'rxjs';

/** Options of {@link filterWords}. */
export interface WordFilterOptions {
  /** The words to hide, matched whole and in any case ("darn" hides "Darn", not "darned"). */
  readonly words: readonly string[];
  /** What the agent says instead of a hidden word; default `bleep`. */
  readonly spokenAs?: string;
}

/**
 * Recipe 1a, a `sentences` stage: a profanity-style word filter between the sentence chunker and
 * TTS. A listed word is spoken as a bleep (`text`, what TTS gets) and shown as asterisks
 * (`displayText`, what `agent-text`, the history and the heard text hold):
 *
 * ```
 * sentences: --"Darn, it is hot."--|
 * filterWords({ words: ['darn'] })
 * output:    --{ text: "bleep, it is hot.", displayText: "****, it is hot." }--|
 * ```
 *
 * @example
 * ```ts
 * createVoiceSession({ stt, llm, tts, pipeline: { sentences: filterWords({ words: ['darn'] }) } });
 * ```
 */
export function filterWords(options: WordFilterOptions): PipelineStage<Sentence, Sentence, SpeechContext> {
  const spokenAs = options.spokenAs ?? 'bleep';
  const escaped = options.words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // `\b` is ASCII-only; listed words are plain English words, so that is what we need.
  const listed = new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'gi');
  const hide = (text: string, by: (word: string) => string) =>
    escaped.length === 0 ? text : text.replace(listed, by);
  return (sentences$) =>
    sentences$.pipe(
      map((sentence) => ({
        ...sentence,
        text: hide(sentence.text, () => spokenAs),
        displayText: hide(sentence.displayText, (word) => '*'.repeat(word.length)),
      })),
    );
}
