/**
 * Phone calls for voxduplex: carrier media streams (Twilio Media Streams) on any Node HTTP
 * server, the Twilio voice webhook with signature checking, and the μ-law / 8 kHz codec.
 * The Twilio emulator for tests is at `@voxduplex/telephony/testing`.
 */

export { decodeMulaw, encodeMulaw, MULAW_SILENCE } from './codec/mulaw';
export {
  AgentAudioEncoder,
  CallerAudioDecoder,
  PHONE_FRAME_SAMPLES,
  PHONE_SAMPLE_RATE,
  type PhoneFrame,
} from './codec/phone-audio';
export { attachPhoneAgent, type PhoneAgentServer } from './server/attach-phone-agent';
export {
  type PhoneLimits,
  phoneLimitsSchema,
  type ResolvedPhoneLimits,
  resolvePhoneLimits,
} from './server/limits';
export type {
  AttachPhoneAgentOptions,
  AuthenticateCall,
  PhoneAgentAccess,
  PhoneAgentHooks,
  PhoneAgentServerOptions,
  PhoneAgentStats,
  PhoneCallContext,
  PhoneCallIdentity,
} from './server/options';
export {
  PhonePlayout,
  type PhonePlayoutOptions,
  type PlayoutListener,
  type PlayoutStats,
} from './server/phone-playout';
export {
  type CallStart,
  isStreamProblem,
  type MediaStreamSerializer,
  type StreamCommand,
  type StreamEvent,
  type StreamProblem,
} from './stream/media-stream';
export {
  TWILIO_MEDIA_FORMAT,
  type TwilioInboundMessage,
  type TwilioOutboundMessage,
  twilioInboundSchema,
} from './twilio/messages';
export { isValidTwilioSignature, twilioSignature } from './twilio/signature';
export { parseTwilioMessage, serializeTwilioCommand, twilioSerializer } from './twilio/twilio-serializer';
export { connectStreamTwiml } from './twilio/twiml';
export {
  type TwilioVoiceWebhookOptions,
  type TwilioWebhookHandler,
  type TwilioWebhookParams,
  twilioVoiceWebhook,
} from './twilio/voice-webhook';
