export { sileroVadFactory } from './factory';
export { checkFrameFormat, SILERO_SAMPLE_RATE } from './frame-format';
export { type ResolvedSileroVadOptions, type SileroVadOptions, sileroVadOptionsSchema } from './options';
export { bundledModelPath, liveSessionCount, WINDOW_SAMPLES } from './silero-model';
export { SileroVad } from './silero-vad';
export { SpeechGate, type SpeechGateOptions } from './speech-gate';
