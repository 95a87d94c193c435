import { resolveSentenceChunking, type SentenceChunkingOptions } from './sentence-chunking-options';
import { type SentenceChunk, SentenceSegmenter } from './sentence-segmenter';

/**
 * Cuts a whole text into chunks for speech synthesis with the same rules, and the same result,
 * as {@link chunkSentences} gives for that text streamed in any pieces. For text known up front,
 * such as `session.say()`.
 *
 * Concatenating the `displayText`s gives back the input exactly. Returns `[]` when the text has
 * nothing to say (only whitespace, emoji or markup).
 *
 * @throws {ConfigError} when an option is invalid.
 *
 * @example
 * splitSentences('Sure thing, Dr. Smith is free at 3.30 p.m. on Friday. Shall I book it? 📅');
 * // [ { text: 'Sure thing,', displayText: 'Sure thing, ' },
 * //   { text: 'Dr. Smith is free at 3.30 p.m. on Friday.',
 * //     displayText: 'Dr. Smith is free at 3.30 p.m. on Friday. ' },
 * //   { text: 'Shall I book it?', displayText: 'Shall I book it? 📅' } ]
 */
export function splitSentences(text: string, options?: SentenceChunkingOptions): SentenceChunk[] {
  const segmenter = new SentenceSegmenter(resolveSentenceChunking(options));
  return [...segmenter.push(text), ...segmenter.end()];
}
