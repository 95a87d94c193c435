export { googleTtsFactory } from './factory';
export { GoogleTts, isStreamingVoice } from './google-tts';
export { type GoogleTtsOptions, googleConnectionSchema, googleTtsOptionsSchema } from './options';
