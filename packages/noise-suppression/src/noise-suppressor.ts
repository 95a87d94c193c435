import { FloatRingBuffer, SincResampler } from '@voxduplex/core/dsp';
import { RNNOISE_FRAME_SAMPLES, RNNOISE_SAMPLE_RATE, RnnoiseDenoiser } from './rnnoise/rnnoise-denoiser';
import type { RnnoiseWasm } from './rnnoise/rnnoise-wasm';

/** Options of {@link NoiseSuppressor}. */
export interface NoiseSuppressorOptions {
  /** Rate of the audio in and out, Hz (16 000 on a server, the AudioContext's in a worklet). */
  readonly sampleRate: number;
}

/**
 * Streaming RNNoise at any sample rate: audio is resampled to 48 kHz (the shared
 * {@link SincResampler}), denoised in 10 ms frames and resampled back. Every call returns as many
 * samples as it was given: the output is the input delayed by a constant {@link latencyMs}
 * (10 ms of framing plus the two filters': 13 ms at 16 kHz), so frame timing and lengths stay as they were.
 *
 * @example
 * ```ts
 * const suppressor = new NoiseSuppressor(await loadNodeRnnoise(), { sampleRate: 16_000 });
 * const clean = suppressor.processInt16(frame.samples); // same length, 13 ms later
 * suppressor.close();
 * ```
 */
export class NoiseSuppressor {
  readonly sampleRate: number;
  /** The constant delay of the output, in samples at `sampleRate`. */
  readonly latencySamples: number;
  readonly #denoiser: RnnoiseDenoiser;
  readonly #up: SincResampler | undefined;
  readonly #down: SincResampler | undefined;
  readonly #pending48k = new FloatRingBuffer(2 * RNNOISE_FRAME_SAMPLES);
  readonly #output = new FloatRingBuffer(4096);
  readonly #frame = new Float32Array(RNNOISE_FRAME_SAMPLES);
  #voiceProbability = 0;

  constructor(wasm: RnnoiseWasm, options: NoiseSuppressorOptions) {
    const { sampleRate } = options;
    if (!(sampleRate >= 8_000 && sampleRate <= RNNOISE_SAMPLE_RATE))
      throw new RangeError(`NoiseSuppressor takes 8–48 kHz audio, got ${sampleRate} Hz`);
    this.sampleRate = sampleRate;
    if (sampleRate !== RNNOISE_SAMPLE_RATE) {
      this.#up = new SincResampler({ inputRate: sampleRate, outputRate: RNNOISE_SAMPLE_RATE });
      this.#down = new SincResampler({ inputRate: RNNOISE_SAMPLE_RATE, outputRate: sampleRate });
    }
    const ratio = sampleRate / RNNOISE_SAMPLE_RATE;
    // The most the output can fall behind: the up filter, a frame being filled, the down filter.
    this.latencySamples =
      (this.#up?.latencyFrames ?? 0) +
      Math.ceil(RNNOISE_FRAME_SAMPLES * ratio) +
      Math.ceil((this.#down?.latencyFrames ?? 0) * ratio) +
      1;
    this.#output.write(new Float32Array(this.latencySamples));
    this.#denoiser = new RnnoiseDenoiser(wasm);
  }

  /** The output delay, ms. */
  get latencyMs(): number {
    return (this.latencySamples / this.sampleRate) * 1000;
  }

  /** RNNoise's voice probability for the latest 10 ms frame, 0..1. */
  get voiceProbability(): number {
    return this.#voiceProbability;
  }

  get isClosed(): boolean {
    return this.#denoiser.isClosed;
  }

  /** Denoises float samples in [-1, 1]; returns the same number of samples, delayed by the latency. */
  process(samples: Float32Array): Float32Array {
    if (this.isClosed) throw new Error('the NoiseSuppressor is closed');
    const at48k = this.#up ? this.#up.process(samples) : samples;
    this.#pending48k.write(at48k);
    const frame = this.#frame;
    while (this.#pending48k.size >= RNNOISE_FRAME_SAMPLES) {
      this.#pending48k.read(frame);
      // RNNoise is trained on the 16-bit scale.
      for (let i = 0; i < frame.length; i++) frame[i]! *= 32768;
      this.#voiceProbability = this.#denoiser.processFrame(frame);
      for (let i = 0; i < frame.length; i++) frame[i]! /= 32768;
      this.#output.write(this.#down ? this.#down.process(frame) : frame.slice());
    }
    const out = new Float32Array(samples.length);
    // The prefilled delay covers every shortfall, so this reads all of `out`.
    this.#output.read(out);
    return out;
  }

  /** {@link NoiseSuppressor.process} for Int16 samples. */
  processInt16(samples: Int16Array): Int16Array {
    const floats = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) floats[i] = samples[i]! / 32768;
    const denoised = this.process(floats);
    const out = new Int16Array(denoised.length);
    for (let i = 0; i < denoised.length; i++)
      out[i] = Math.max(-32768, Math.min(32767, Math.round(denoised[i]! * 32768)));
    return out;
  }

  /** Frees the RNNoise state (and the wasm instance, if it was the last); idempotent. */
  close(): void {
    this.#denoiser.close();
  }
}
