/**
 * Isomorphic audio DSP with no dependencies, shared by the browser (web-audio's worklets) and
 * servers (telephony, noise suppression): a streaming anti-aliasing sample-rate converter, a
 * float ring buffer and PCM conversions.
 * Import from `@voxduplex/core/dsp`: the entry pulls in nothing else of core, so a worklet
 * bundle stays small.
 */
export { besselI0, kaiserBeta, kaiserLength, kaiserWindow } from './kaiser';
export { floatToInt16, int16ToFloat } from './pcm';
export { type ResamplerOptions, SincResampler } from './resampler';
export { FloatRingBuffer } from './ring-buffer';
