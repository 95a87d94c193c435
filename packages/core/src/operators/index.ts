export { type BargeInDecision, type BargeInOptions, type BargeInSignal, bargeIn } from './barge-in';
export {
  type ChunkSentencesOptions,
  chunkSentences,
  cleanForSpeech,
  DEFAULT_ABBREVIATIONS,
  type SentenceChunk,
  splitSentences,
} from './chunk-sentences';
export {
  type DetectEndOfTurnOptions,
  detectEndOfTurn,
  type TurnSignal,
  type UserTurnEnd,
} from './detect-end-of-turn';
export { dropInterrupted } from './drop-interrupted';
export { type SynthesizeSentencesOptions, synthesizeSentences } from './synthesize-sentences';
export { toTokens } from './to-tokens';
export { isBackchannel, isStopPhrase, wordsOf } from './words';
