// Test-only worklet: passes its input through and posts a copy of every quantum with the frame
// it was rendered at, so the recording lines up with the player's frame stamps exactly. Given a
// shared "render head" (cross-origin isolated pages), it also publishes there the next frame the
// audio thread will render: the audio-time "now" a request made on the main thread starts from.
import { workletScope } from '../../src/worklets/worklet-scope';

const scope = workletScope();
const QUANTA = 32;

class TapProcessor extends scope.AudioWorkletProcessor {
  private samples = new Float32Array(QUANTA * 128);
  private frames: number[] = [];
  private readonly head: Int32Array | undefined;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const buffer = (options.processorOptions as { headBuffer?: SharedArrayBuffer } | undefined)?.headBuffer;
    this.head = buffer ? new Int32Array(buffer) : undefined;
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    const output = outputs[0]?.[0];
    if (output && input) output.set(input);
    const offset = this.frames.length * 128;
    if (input) this.samples.set(input, offset);
    else this.samples.fill(0, offset, offset + 128);
    this.frames.push(scope.currentFrame);
    // The player (upstream) has rendered this quantum: the next one starts 128 frames on.
    if (this.head) Atomics.store(this.head, 0, scope.currentFrame + 128);
    if (this.frames.length === QUANTA) {
      this.port.postMessage({ frames: this.frames, samples: this.samples }, [this.samples.buffer]);
      this.samples = new Float32Array(QUANTA * 128);
      this.frames = [];
    }
    return true;
  }
}

scope.registerProcessor('vox-test-tap', TapProcessor);
