export * from './room/index';
export { type MicrophoneChunk, SimulatedMicrophone, type UtteranceTiming } from './simulated-microphone';
export { downmix, fromInt16, resample, SPEECH_SAMPLE_RATE, toInt16, toMono16k } from './to-mono-16k';
export { concatSamples, speakAsUser, type UserVoice, voicedSpan } from './user-voice';
export { type DecodedWav, decodeWav, encodeWav } from './wav-file';
