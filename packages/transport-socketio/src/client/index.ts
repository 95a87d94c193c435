/**
 * Browser-safe client of the voxduplex Socket.IO transport (`@voxduplex/transport-socketio/client`):
 * no Node built-ins, only `socket.io-client`, zod and `@voxduplex/core`.
 */
export * from '../protocol/index';
export type {
  AgentAudioChunk,
  ConnectionStatus,
  VoiceAgentClientEvents,
  VoiceAgentClientOptions,
} from './options';
export { TypedEmitter } from './typed-emitter';
export { connectVoiceAgent, VoiceAgentClient } from './voice-agent-client';
