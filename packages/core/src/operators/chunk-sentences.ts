import { Observable, type OperatorFunction } from 'rxjs';
import type { Sentence, Token } from '../frames/agent';
import { resolveSentenceChunking, type SentenceChunkingOptions } from './text/sentence-chunking-options';
import { type SentenceChunk, SentenceSegmenter } from './text/sentence-segmenter';

export { cleanForSpeech } from './text/clean-for-speech';
export { DEFAULT_ABBREVIATIONS } from './text/sentence-boundary';
export type { SentenceChunk } from './text/sentence-segmenter';
export { splitSentences } from './text/split-sentences';

/** Options of {@link chunkSentences}; character counts are of the text cleaned for speech. */
export type ChunkSentencesOptions = SentenceChunkingOptions;

/**
 * Gathers streamed LLM tokens into sentences for speech synthesis, so TTS can start on the first
 * sentence instead of the whole reply.
 *
 * ```text
 * tokens:    -a---b-------c------d----|
 * sentences: -----x-------------------(y|)
 *
 * a = "Sure thing,"     b = " let me"     c = " check. It"     d = " is done."
 * x = "Sure thing, "    y = "let me check. It is done."
 * ```
 *
 * - **First chunk early.** The first chunk of a speech leaves at its first sentence end
 *   (`.?!…`) or clause boundary (`,;:—`) followed by whitespace, once it holds
 *   `firstChunkMinChars` characters (default 4). Later chunks leave at a sentence end once they hold
 *   `minChars` (default 20). A line break counts as a sentence end.
 * - **No false cuts.** Decimals (`3.14`, `1,000`), abbreviations (`Dr.`, `e.g.`, `U.S.`, see
 *   {@link DEFAULT_ABBREVIATIONS}), single initials (`J. Smith`), URLs and e-mail addresses,
 *   an ellipsis or period followed by a lowercase word, and list numbers (`1. `) never end a
 *   chunk. Whether punctuation ends a sentence is known only from the text after it (`Dr.` then
 *   ` Smith`, `3.` then `14`), so a chunk leaves with the token that shows its end: that token
 *   must carry a letter or digit of the next chunk, which LLM tokens (` Smith`) usually do.
 * - **Text for speech, text for display.** `text` is cleaned by {@link cleanForSpeech} (markdown
 *   and emoji removed); `displayText` is the input exactly, whitespace included, so joining the
 *   `displayText`s of a speech gives back what the model wrote. Text with nothing to say (an
 *   emoji, stray markup) joins a neighbouring chunk; a speech with nothing to say emits nothing.
 * - **Identity.** Each sentence carries its tokens' `turnId` and `speechId` and a 0-based `index`
 *   within its speech. A token of another `speechId` ends the current speech: its rest leaves
 *   first.
 * - **End.** Completion flushes the rest; an error passes through at once and the unsent rest
 *   is dropped.
 *
 * The result for a text does not depend on how it was split into tokens, and equals
 * {@link splitSentences} of that text.
 *
 * @throws {ConfigError} when an option is invalid (at call time, not at subscription).
 *
 * @example
 * ```ts
 * const sentences$ = llm.generate(request).pipe(chunkSentences({ firstChunkMinChars: 12 }));
 * sentences$.subscribe((sentence) => tts.speak(sentence.text));
 * ```
 */
export function chunkSentences(options?: ChunkSentencesOptions): OperatorFunction<Token, Sentence> {
  const settings = resolveSentenceChunking(options);
  return (tokens$) =>
    new Observable<Sentence>((subscriber) => {
      let speech: { turnId: string; speechId: string; segmenter: SentenceSegmenter } | undefined;
      // A speechId that comes back after another speech goes on with its numbering.
      const nextIndexBySpeechId = new Map<string, number>();

      const emit = (chunks: readonly SentenceChunk[]) => {
        if (speech === undefined) return;
        const { turnId, speechId } = speech;
        for (const { text, displayText } of chunks) {
          const index = nextIndexBySpeechId.get(speechId) ?? 0;
          nextIndexBySpeechId.set(speechId, index + 1);
          subscriber.next({ turnId, speechId, text, displayText, index });
        }
      };
      const endSpeech = () => {
        emit(speech?.segmenter.end() ?? []);
        speech = undefined;
      };

      return tokens$.subscribe({
        next: (token) => {
          if (speech?.speechId !== token.speechId) {
            endSpeech();
            const hasSentSentences = nextIndexBySpeechId.has(token.speechId);
            speech = {
              turnId: token.turnId,
              speechId: token.speechId,
              segmenter: new SentenceSegmenter(settings, !hasSentSentences),
            };
          }
          emit(speech.segmenter.push(token.text));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          endSpeech();
          subscriber.complete();
        },
      });
    });
}
