import type { AudioFrame } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

const frame = (startMs: number): AudioFrame => ({
  samples: new Int16Array(1600),
  sampleRate: 16000,
  channels: 1,
  startMs,
});

describe('ReplayBuffer', () => {
  it('forgets audio up to the end of a final and keeps the frame it ends in', () => {
    const buffer = new ReplayBuffer(10_000);
    for (let at = 0; at < 1000; at += 100) buffer.push(frame(at));
    buffer.trimThrough(450);
    expect(buffer.frames().map((f) => f.startMs)).toEqual([400, 500, 600, 700, 800, 900]);
  });

  it('treats a frame ending a float rounding error after the final as finalized', () => {
    const buffer = new ReplayBuffer(10_000);
    for (let at = 0; at < 500; at += 100) buffer.push(frame(at));
    buffer.trimThrough(299.999_999_97);
    expect(buffer.frames().map((f) => f.startMs)).toEqual([300, 400]);
  });

  it('keeps at most maxMs of audio, dropping the oldest', () => {
    const buffer = new ReplayBuffer(300);
    for (let at = 0; at < 5000; at += 100) buffer.push(frame(at));
    expect(buffer.frames().map((f) => f.startMs)).toEqual([4700, 4800, 4900]);
  });
});
