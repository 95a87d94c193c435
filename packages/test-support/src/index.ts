export { type Collected, collect, textOf } from './llm-stream';
export { findRedisServer, freeLoopbackPort, type RunningRedis, startRedis } from './redis-server';
export {
  audioWorkspace,
  fliteSpeech,
  loudSpan,
  melody,
  mix,
  readWavSamples,
  sequence,
  toFrames,
  tone,
  whiteNoise,
} from './speech-audio';
export { trackTimers } from './timers';
export { virtualCall } from './virtual-call';
