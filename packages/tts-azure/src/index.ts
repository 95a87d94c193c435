export { AzureTts } from './azure-tts';
export { TTS_SOURCE, voxErrorFromSynthesisCancellation } from './errors';
export { azureTtsFactory } from './factory';
export { type AzureTtsOptions, azureTtsOptionsSchema, type ResolvedAzureTtsOptions } from './options';
export { buildSsml, prosodyRate } from './ssml';
