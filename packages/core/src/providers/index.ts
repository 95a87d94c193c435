export * from './fallback/index';
export {
  type FallbackKind,
  type ProviderHealthEvent,
  type ProviderHealthSource,
  reportsProviderHealth,
} from './health';
export type { LlmEvent, LlmFinishReason, LlmProvider, LlmRequest, LlmToolDefinition, LlmUsage } from './llm';
export {
  type ProviderFactory,
  type ProviderKind,
  type ProviderKinds,
  ProviderRegistry,
  type ProviderSelection,
} from './registry';
export * from './retry/index';
export type { SttProvider } from './stt';
export type { TtsChunk, TtsProvider, TtsRequestOptions } from './tts';
export type { VadProvider } from './vad';
