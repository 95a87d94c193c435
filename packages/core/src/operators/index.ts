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
export { EchoDelayEstimator } from './echo/echo-delay';
export { EchoGate, type EchoGateOptions, type EchoVerdict } from './echo/echo-gate';
export { isEchoOf } from './echo/echo-words';
export {
  echoSuppressor,
  energyOf,
  type PlayedAgentAudio,
  type SuppressEchoOptions,
  suppressEcho,
} from './echo/suppress-echo';
export { StopRequest } from './stop-request';
export { type SynthesizeSentencesOptions, synthesizeSentences } from './synthesize-sentences';
export { toTokens } from './to-tokens';
export { isBackchannel, isStopPhrase, wordsOf } from './words';
