/** Moved to core (shared with the telephony transport); still exported here. */
export { RateLimiter } from '@voxduplex/core';
export { attachVoiceAgent, type VoiceAgentServer } from './attach';
export { type ClientMessage, type InboundProblem, parseClientMessage } from './inbound';
export {
  type ResolvedTransportLimits,
  resolveTransportLimits,
  type TransportLimits,
  transportLimitsSchema,
  voiceServerOptions,
} from './limits';
export type {
  AttachVoiceAgentOptions,
  Authenticate,
  Handshake,
  SessionContext,
  TransportStats,
  VoiceAgentAccess,
  VoiceAgentHooks,
  VoiceAgentIdentity,
  VoiceAgentServerOptions,
} from './options';
export { OutboundAudioQueue, type OutboundAudioQueueOptions, type OutboundChunk } from './outbound-audio';
export { type ResumeRefusal, ResumeTokens } from './resume-tokens';
export { acceptsCompactAudio, VoiceDecoder, voiceParser } from './voice-parser';
