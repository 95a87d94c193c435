export {
  type ConversationEntry,
  INITIAL_SNAPSHOT,
  type VoiceClientSnapshot,
  type VoiceClientStatus,
} from './conversation';
export {
  createVoiceClient,
  VoiceClient,
  type VoiceClientEvents,
  type VoiceClientOptions,
} from './voice-client';
