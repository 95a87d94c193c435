import { type AudioFrame, defaultStages, type Sentence, type VoicePipeline } from '@voxduplex/core';
import { tap } from 'rxjs';
import { CAFE_FAQ, CAFE_FILTERED_WORDS, CAFE_SPANISH } from './cafe';
import { faqAgent, filterWords, holdAfterConjunction, removeDc, translateSentences } from './recipes/index';

/** Options of {@link cafePipeline}. */
export interface CafePipelineOptions {
  /** `en`: the word filter as the sentence transform; `es`: the toy translation instead. */
  readonly language: 'en' | 'es';
  /** Each sentence as it goes to TTS (the demo prints it beside what is shown). */
  readonly onSpoken?: (sentence: Sentence) => void;
  /** Each microphone frame, before and after the `audioIn` filter. */
  readonly onFiltered?: (when: 'before' | 'after', frame: AudioFrame) => void;
}

/**
 * The café agent's pipeline: the four recipes in their slots. The other stages (`transcripts`,
 * `bargeIn`, `audioOut`) are the defaults; `speech` is the default too, wrapped only to report
 * what TTS is asked to say.
 */
export function cafePipeline(options: CafePipelineOptions): VoicePipeline {
  const filter = removeDc();
  return {
    audioIn: (frames$, context) =>
      filter(frames$.pipe(tap((frame) => options.onFiltered?.('before', frame))), context).pipe(
        tap((frame) => options.onFiltered?.('after', frame)),
      ),
    endOfTurn: holdAfterConjunction({ holdMs: 1500 }),
    reply: faqAgent(CAFE_FAQ),
    sentences:
      options.language === 'es'
        ? translateSentences(CAFE_SPANISH)
        : filterWords({ words: CAFE_FILTERED_WORDS }),
    speech: (sentences$, context) =>
      defaultStages.speech(sentences$.pipe(tap((sentence) => options.onSpoken?.(sentence))), context),
  };
}
