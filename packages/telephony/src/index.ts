/**
 * Phone calls for voxduplex: carrier media streams (Twilio Media Streams, Telnyx media
 * streaming) on any Node HTTP server, the Twilio and Telnyx voice webhooks with signature
 * checking, and the μ-law / L16 codecs. The carrier emulators for tests are at
 * `@voxduplex/telephony/testing`.
 */

export { decodeMulaw, encodeMulaw, MULAW_SILENCE } from './codec/mulaw';
export {
  AgentAudioEncoder,
  CallerAudioDecoder,
  PHONE_FRAME_SAMPLES,
  PHONE_SAMPLE_RATE,
  type PhoneFrame,
} from './codec/phone-audio';
export {
  bytesPerSample,
  decodePayload,
  encodePayload,
  frameSamples,
  PCMU_8K,
  type PhoneAudioFormat,
  type PhoneEncoding,
  payloadMs,
  silencePayload,
} from './codec/phone-format';
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
  streamProblem,
} from './stream/media-stream';
export { ReorderBuffer, type ReorderBufferOptions, type ReorderStats } from './stream/reorder-buffer';
export {
  type TelnyxInboundMessage,
  type TelnyxOutboundMessage,
  telnyxInboundSchema,
} from './telnyx/messages';
export {
  isValidTelnyxSignature,
  TELNYX_SIGNATURE_TOLERANCE_SEC,
  type TelnyxSignatureCheck,
  telnyxPublicKey,
} from './telnyx/signature';
export { parseTelnyxMessage, serializeTelnyxCommand, telnyxSerializer } from './telnyx/telnyx-serializer';
export { connectStreamTexml } from './telnyx/texml';
export {
  type TelnyxVoiceWebhookOptions,
  type TelnyxWebhookHandler,
  type TelnyxWebhookParams,
  telnyxVoiceWebhook,
} from './telnyx/voice-webhook';
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
