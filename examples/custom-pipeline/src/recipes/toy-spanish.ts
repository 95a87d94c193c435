import type { PipelineStage, Sentence, SpeechContext } from '@voxduplex/core';
import { map } from 'rxjs';

/** The dictionaries of {@link translateSentences}, lower-case English keys. */
export interface ToyDictionary {
  /** Whole sentences, looked up first (without the final punctuation): `'thank you' → 'gracias'`. */
  readonly sentences: Readonly<Record<string, string>>;
  /** Single words, for sentences not in `sentences`; unknown words stay as they are. */
  readonly words: Readonly<Record<string, string>>;
}

/**
 * Recipe 1b, a `sentences` stage: a toy offline "translation", sentence by sentence — a whole
 * sentence from the sentence dictionary, else word by word. Spoken and shown text are both the
 * translation, so the history and the heard text are Spanish too. A real one would call a
 * translation service here: do it with `switchMap`/`concatMap` on a cold Observable so an
 * interrupt cancels the request.
 *
 * ```
 * sentences: --"One hot tea."--"Coming right up."--|     words: one → uno, hot → caliente, tea → té
 * output:    --"Uno caliente té."--"Marchando."----|     sentences: coming right up → marchando
 * ```
 *
 * @example
 * ```ts
 * const spanish = { sentences: { 'thank you': 'gracias' }, words: { tea: 'té', hot: 'caliente' } };
 * createVoiceSession({ stt, llm, tts, pipeline: { sentences: translateSentences(spanish) } });
 * ```
 */
export function translateSentences(
  dictionary: ToyDictionary,
): PipelineStage<Sentence, Sentence, SpeechContext> {
  const translate = (english: string): string => {
    const [, body = '', stop = ''] = /^(.*?)([.!?]*)$/s.exec(english.trim()) ?? [];
    const whole = dictionary.sentences[body.toLowerCase()];
    if (whole !== undefined) return whole + stop;
    const words = body.replace(/[A-Za-z']+/g, (word) => dictionary.words[word.toLowerCase()] ?? word);
    const tidy = words
      .replace(/ {2,}/g, ' ')
      .replace(/ ([,;:])/g, '$1')
      .trim();
    return tidy.charAt(0).toUpperCase() + tidy.slice(1) + stop;
  };
  return (sentences$) =>
    sentences$.pipe(
      map((sentence) => {
        const spanish = translate(sentence.displayText);
        return { ...sentence, text: spanish, displayText: spanish };
      }),
    );
}
