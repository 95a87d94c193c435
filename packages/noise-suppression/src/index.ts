export { NoiseSuppressor, type NoiseSuppressorOptions } from './noise-suppressor';
export { RNNOISE_FRAME_SAMPLES, RNNOISE_SAMPLE_RATE, RnnoiseDenoiser } from './rnnoise/rnnoise-denoiser';
export { isWasmSimdSupported, loadRnnoise, type RnnoiseSource, RnnoiseWasm } from './rnnoise/rnnoise-wasm';
export { type SuppressNoiseOptions, suppressNoise } from './suppress-noise';
