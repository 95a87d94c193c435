export type {
  ConversationEntry,
  VoiceClientOptions,
  VoiceClientSnapshot,
  VoiceClientStatus,
} from '@voxduplex/web-audio/client';
export { useVoiceAgent, type VoiceAgentHandle } from './use-voice-agent';
