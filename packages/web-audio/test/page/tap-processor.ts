// Test-only worklet: passes its input through and posts a copy, stamped with the frame it played at.
import { workletScope } from '../../src/worklets/worklet-scope';

const scope = workletScope();
const BLOCK = 4096;

class TapProcessor extends scope.AudioWorkletProcessor {
  private block = new Float32Array(BLOCK);
  private filled = 0;
  private blockFrame = -1;

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    const output = outputs[0]?.[0];
    const length = output?.length ?? 128;
    if (this.blockFrame < 0) this.blockFrame = scope.currentFrame;
    for (let i = 0; i < length; i++) {
      const sample = input ? input[i]! : 0;
      if (output) output[i] = sample;
      this.block[this.filled++] = sample;
      if (this.filled === BLOCK) {
        this.port.postMessage({ frame: this.blockFrame, samples: this.block }, [this.block.buffer]);
        this.block = new Float32Array(BLOCK);
        this.filled = 0;
        this.blockFrame = scope.currentFrame + i + 1;
      }
    }
    return true;
  }
}

scope.registerProcessor('vox-test-tap', TapProcessor);
