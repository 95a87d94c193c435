import { pinkNoise, rms } from '@voxduplex/acoustic-set';
import type { AudioFrame, AudioInContext } from '@voxduplex/core';
import { from, lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLocalStack } from './local-stack';

describe('createLocalStack', () => {
  it('leaves the microphone as it is by default', async () => {
    const stack = createLocalStack({ vad: false });
    expect(stack.sessionConfig.pipeline).toBeUndefined();
    await stack.close();
  });

  it('with noiseSuppression, an audioIn stage takes steady noise out before the recognizer', async () => {
    const stack = createLocalStack({ vad: false, noiseSuppression: true });
    const noise = pinkNoise(1500, { seed: 8, level: 0.05 });
    const frames: AudioFrame[] = [];
    for (let at = 0; at < noise.length; at += 320)
      frames.push({ samples: noise.slice(at, at + 320), sampleRate: 16_000, channels: 1, startMs: at / 16 });
    const context: AudioInContext = {
      sessionId: 's',
      scheduler: new VirtualTimeScheduler(),
      sampleRate: 16_000,
      playedAgentAudio: { playedEnergies: (ms, blockMs) => new Float64Array(Math.ceil(ms / blockMs)) },
      echo: {},
    };
    const heard = await lastValueFrom(
      stack.sessionConfig.pipeline!.audioIn!(from(frames), context).pipe(toArray()),
    );
    const tail = (list: AudioFrame[]) =>
      Int16Array.from(list.slice(30).flatMap((frame) => [...frame.samples]));
    expect(rms(tail(heard))).toBeLessThan(rms(tail(frames)) / 5);
    await stack.close();
  });
});
