export { cleanForSpeech } from './clean-for-speech';
export { DEFAULT_ABBREVIATIONS } from './sentence-boundary';
export type { SentenceChunkingOptions } from './sentence-chunking-options';
export type { SentenceChunk } from './sentence-segmenter';
export { splitSentences } from './split-sentences';
