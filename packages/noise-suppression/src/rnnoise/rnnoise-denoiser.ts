import type { RnnoiseRuntime, RnnoiseWasm } from './rnnoise-wasm';

/** RNNoise works on 48 kHz audio only. */
export const RNNOISE_SAMPLE_RATE = 48_000;
/** …in frames of 480 samples (10 ms). */
export const RNNOISE_FRAME_SAMPLES = 480;

/**
 * One RNNoise state: denoises consecutive 10 ms frames of 48 kHz audio, keeping what it learned
 * of the noise from frame to frame. Close it to free its state in the shared wasm heap (the last
 * close drops the instance).
 */
export class RnnoiseDenoiser {
  readonly #wasm: RnnoiseWasm;
  #runtime: RnnoiseRuntime | undefined;
  readonly #state: number;
  /** Input and output frames in the wasm heap (byte addresses). */
  readonly #input: number;
  readonly #output: number;

  constructor(wasm: RnnoiseWasm) {
    this.#wasm = wasm;
    const runtime = wasm.acquire();
    this.#runtime = runtime;
    const { exports } = runtime;
    this.#state = exports.rnnoise_create(0);
    this.#input = exports.malloc(RNNOISE_FRAME_SAMPLES * 4);
    this.#output = exports.malloc(RNNOISE_FRAME_SAMPLES * 4);
  }

  get isClosed(): boolean {
    return this.#runtime === undefined;
  }

  /**
   * Denoises `frame` in place: 480 samples at 48 kHz on the 16-bit scale (±32768, not ±1).
   * Returns RNNoise's voice probability for the frame, 0..1.
   */
  processFrame(frame: Float32Array): number {
    const runtime = this.#runtime;
    if (!runtime) throw new Error('the RNNoise denoiser is closed');
    if (frame.length !== RNNOISE_FRAME_SAMPLES)
      throw new RangeError(`RNNoise frames are ${RNNOISE_FRAME_SAMPLES} samples, got ${frame.length}`);
    runtime.heap().set(frame, this.#input >> 2);
    const probability = runtime.exports.rnnoise_process_frame(this.#state, this.#output, this.#input);
    const out = this.#output >> 2;
    frame.set(runtime.heap().subarray(out, out + RNNOISE_FRAME_SAMPLES));
    return probability;
  }

  /** Frees the state and buffers; idempotent. */
  close(): void {
    const runtime = this.#runtime;
    if (!runtime) return;
    this.#runtime = undefined;
    runtime.exports.rnnoise_destroy(this.#state);
    runtime.exports.free(this.#input);
    runtime.exports.free(this.#output);
    this.#wasm.release();
  }
}
