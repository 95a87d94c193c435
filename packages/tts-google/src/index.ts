export { googleConnectionSchema } from '@voxduplex/google-common';
export { googleTtsFactory } from './factory';
export { GoogleTts, isStreamingVoice } from './google-tts';
export { type GoogleTtsOptions, googleTtsOptionsSchema } from './options';
