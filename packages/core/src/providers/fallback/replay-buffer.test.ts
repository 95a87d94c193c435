import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

const frame = (startMs: number) => ({
  samples: new Int16Array(320),
  sampleRate: 16000,
  channels: 1,
  startMs,
});

describe('ReplayBuffer', () => {
  it('keeps the audio no final covered yet, at most maxMs of it', () => {
    const buffer = new ReplayBuffer(60);
    for (const startMs of [0, 20, 40, 60, 80]) buffer.push(frame(startMs));
    expect(buffer.frames.map((f) => f.startMs)).toEqual([40, 60, 80]);
    buffer.forgetUntil(70);
    expect(buffer.frames.map((f) => f.startMs)).toEqual([60, 80]);
    expect(buffer.endMs).toBe(100);
    buffer.forgetUntil(100);
    expect(buffer.frames).toEqual([]);
    expect(buffer.endMs).toBe(Number.NEGATIVE_INFINITY);
  });

  it('keeps only the last stretch of audio when asked (silence before any speech)', () => {
    const buffer = new ReplayBuffer(1000);
    for (const startMs of [0, 20, 40, 60, 80]) buffer.push(frame(startMs));
    buffer.keepLast(40);
    expect(buffer.frames.map((f) => f.startMs)).toEqual([60, 80]);
  });
});
