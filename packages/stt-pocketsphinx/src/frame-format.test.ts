import { AudioFormatError, type AudioFrame } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { checkFrameFormat } from './frame-format';

const frame = (overrides: object) =>
  ({ samples: new Int16Array(320), sampleRate: 16000, channels: 1, startMs: 0, ...overrides }) as AudioFrame;

describe('checkFrameFormat', () => {
  it('accepts 16 kHz mono Int16 frames of any length, even empty ones', () => {
    for (const length of [0, 1, 319, 320, 16001]) {
      expect(() => checkFrameFormat(frame({ samples: new Int16Array(length), startMs: 12.5 }))).not.toThrow();
    }
  });

  it.each([
    ['a 44.1 kHz frame', { sampleRate: 44100 }, 'got sampleRate 44100'],
    ['a stereo frame', { channels: 2 }, 'got 2 channels'],
    ['float samples', { samples: new Float32Array(320) }, 'samples must be an Int16Array'],
    ['an odd-length byte buffer', { samples: new Uint8Array(641) }, 'samples must be an Int16Array'],
    ['a negative position', { startMs: -20 }, 'got startMs -20'],
    ['an infinite position', { startMs: Number.POSITIVE_INFINITY }, 'got startMs Infinity'],
  ])('rejects %s with an AudioFormatError saying what was wrong', (_, overrides, problem) => {
    let caught: unknown;
    try {
      checkFrameFormat(frame(overrides));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AudioFormatError);
    expect((caught as Error).message).toBe(`PocketSphinx needs 16 kHz mono Int16 frames: ${problem}`);
  });

  it('rejects something that is not a frame at all', () => {
    expect(() => checkFrameFormat(null as unknown as AudioFrame)).toThrow(AudioFormatError);
  });
});
