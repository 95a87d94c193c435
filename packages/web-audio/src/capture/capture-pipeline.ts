import { SincResampler } from '@voxduplex/core/dsp';
import { NoiseSuppressor, type RnnoiseWasm } from '@voxduplex/noise-suppression';
import { FrameChunker } from './frame-chunker';

/** What the capture worklet does to each render quantum, as plain code (tested in Node). */
export interface CapturePipelineOptions {
  /** The AudioContext's rate (44.1 kHz, 48 kHz or whatever the device gives). */
  readonly inputRate: number;
  /** Default 16 000. */
  readonly outputRate?: number;
  /** Default 20. */
  readonly frameMs?: number;
  /** RNNoise, applied at the input rate before resampling (off when absent). */
  readonly noiseSuppression?: RnnoiseWasm;
}

/**
 * Mono float input at the context rate → (optionally denoised) anti-aliased, resampled Int16 frames
 * of `frameMs`. {@link CapturePipeline.close} frees the noise suppressor.
 *
 * @example
 * const pipeline = new CapturePipeline({ inputRate: 48_000 });
 * for (const frame of pipeline.push(quantum)) send(frame); // 320 samples each
 */
export class CapturePipeline {
  readonly outputRate: number;
  readonly frameSamples: number;
  private readonly resampler: SincResampler;
  private readonly chunker: FrameChunker;
  private readonly suppressor: NoiseSuppressor | undefined;

  constructor({ inputRate, outputRate = 16_000, frameMs = 20, noiseSuppression }: CapturePipelineOptions) {
    this.outputRate = outputRate;
    this.frameSamples = Math.round((outputRate * frameMs) / 1000);
    this.resampler = new SincResampler({ inputRate, outputRate });
    this.chunker = new FrameChunker(this.frameSamples);
    // At the input rate: RNNoise runs at 48 kHz, the usual context rate, with no resampling there.
    if (noiseSuppression) this.suppressor = new NoiseSuppressor(noiseSuppression, { sampleRate: inputRate });
  }

  /** One block of mono input; returns the frames it completed. */
  push(input: Float32Array): Int16Array[] {
    const cleaned = this.suppressor ? this.suppressor.process(input) : input;
    return this.chunker.push(this.resampler.process(cleaned));
  }

  /** Frees the noise suppressor's RNNoise state; idempotent. Do not push afterwards. */
  close(): void {
    this.suppressor?.close();
  }
}
