export type { FallbackChain, FallbackChainStats, FallbackMemberStats } from './fallback-chain';
export { type FallbackLlm, fallbackLlm } from './fallback-llm';
export type { FallbackOptions, ProbeOptions } from './fallback-options';
export { type FallbackStt, fallbackStt } from './fallback-stt';
export { type FallbackTts, fallbackTts } from './fallback-tts';
