// Runs in the AudioWorkletGlobalScope. Bundled on its own (IIFE) and shipped as a string.
import { RnnoiseWasm } from '@voxduplex/noise-suppression';
import { CapturePipeline } from '../capture/capture-pipeline';
import { CAPTURE_PROCESSOR, type CaptureCommand, type CaptureProcessorOptions } from './messages';
import { workletScope } from './worklet-scope';

const scope = workletScope();

class CaptureProcessor extends scope.AudioWorkletProcessor {
  private readonly pipeline: CapturePipeline;
  private seq = 0;
  private isStopped = false;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const { outputRate, frameMs, rnnoiseBytes } = options.processorOptions as CaptureProcessorOptions;
    // Compiled here, synchronously (allowed off the main thread): one instance per capture.
    const rnnoise = rnnoiseBytes ? new RnnoiseWasm(rnnoiseBytes) : undefined;
    this.pipeline = new CapturePipeline({
      inputRate: scope.sampleRate,
      outputRate,
      frameMs,
      ...(rnnoise ? { noiseSuppression: rnnoise } : {}),
    });
    this.port.onmessage = (event: MessageEvent<CaptureCommand>) => {
      if (event.data.type !== 'stop' || this.isStopped) return;
      this.isStopped = true;
      this.pipeline.close();
      this.port.postMessage({ type: 'released', isRnnoiseInstantiated: rnnoise?.isInstantiated ?? false });
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.isStopped) return false;
    // The node's input is mixed down to one channel (channelCount 1, explicit).
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (const samples of this.pipeline.push(channel)) {
      let peak = 0;
      for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
      this.port.postMessage({ type: 'frame', samples, seq: this.seq++, peak: peak / 32768 }, [
        samples.buffer,
      ]);
    }
    return true;
  }
}

scope.registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
