export type { EmulatedMethod, RecordedCall } from './call-record';
export { durationFromMs, type ProtoDuration } from './duration';
export { type EmulatorClientOptions, GoogleSpeechEmulator } from './emulator';
export {
  googleStatusText,
  type RecognizeScenario,
  type ScriptedStatus,
  type SynthesizeScenario,
} from './scenario';
export { retryInfoMetadata } from './status-details';
export { synthesizedPcm, wavHeader } from './synthesized-audio';
export { type TokenAudioOptions, type TokenAudioPart, tokenAudio, tokenWord } from './token-audio';
export type { RecognizeResponse, RecognizerBehaviour } from './token-recognizer';
