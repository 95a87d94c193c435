import { SincResampler } from '@voxduplex/core/dsp';
import { FrameChunker } from './frame-chunker';

/** What the capture worklet does to each render quantum, as plain code (tested in Node). */
export interface CapturePipelineOptions {
  /** The AudioContext's rate (44.1 kHz, 48 kHz or whatever the device gives). */
  readonly inputRate: number;
  /** Default 16 000. */
  readonly outputRate?: number;
  /** Default 20. */
  readonly frameMs?: number;
}

/**
 * Mono float input at the context rate → anti-aliased, resampled Int16 frames of `frameMs`.
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

  constructor({ inputRate, outputRate = 16_000, frameMs = 20 }: CapturePipelineOptions) {
    this.outputRate = outputRate;
    this.frameSamples = Math.round((outputRate * frameMs) / 1000);
    this.resampler = new SincResampler({ inputRate, outputRate });
    this.chunker = new FrameChunker(this.frameSamples);
  }

  /** One block of mono input; returns the frames it completed. */
  push(input: Float32Array): Int16Array[] {
    return this.chunker.push(this.resampler.process(input));
  }
}
