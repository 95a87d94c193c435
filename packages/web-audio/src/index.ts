export { type ResamplerOptions, SincResampler } from '@voxduplex/core/dsp';
export { CapturePipeline, type CapturePipelineOptions } from './capture/capture-pipeline';
export {
  type CapturedFrame,
  type DeviceChangeReason,
  type MicrophoneCapture,
  type MicrophoneCaptureOptions,
  startMicrophoneCapture,
} from './capture/microphone-capture';
export { microphoneError, WebAudioError, type WebAudioErrorReason } from './errors';
export {
  AudioPlayer,
  type AudioPlayerOptions,
  createAudioPlayer,
  type IncomingAudioChunk,
} from './playback/audio-player';
export { type UnlockOptions, unlockAudioContext } from './playback/autoplay';
export { PlayerCore, type PlayerCoreOptions } from './playback/player-core';
export type { DropReason, PlayerChunk, PlayerEvent, PlayerStats } from './playback/player-events';
export { loadWorklet, type WorkletName, workletSource } from './worklets/load-worklet';
