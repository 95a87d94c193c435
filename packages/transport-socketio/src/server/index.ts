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
export { MemorySessionStore } from './memory-session-store';
export type {
  AttachVoiceAgentOptions,
  Authenticate,
  Handshake,
  RestoredSession,
  SessionContext,
  TransportStats,
  VoiceAgentAccess,
  VoiceAgentHooks,
  VoiceAgentIdentity,
  VoiceAgentServerOptions,
} from './options';
export { OutboundAudioQueue, type OutboundAudioQueueOptions, type OutboundChunk } from './outbound-audio';
export { type SessionSnapshot, SNAPSHOT_VERSION } from './session-snapshot';
export type { SessionStore, StoredSession, StoreTake, StoreTouch } from './session-store';
export type { SnapshotKey } from './snapshot-cipher';
export { acceptsCompactAudio, VoiceDecoder, voiceParser } from './voice-parser';
