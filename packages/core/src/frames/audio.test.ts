import { describe, expect, it } from 'vitest';
import { bytesFromInt16, int16FromBytes, pcmDurationMs } from './audio';

describe('PCM byte helpers', () => {
  it('reads little-endian Int16 from aligned and unaligned byte views alike', () => {
    const samples = new Int16Array([1, -2, 32767, -32768]);
    const bytes = bytesFromInt16(samples);
    expect([...int16FromBytes(bytes)]).toEqual([1, -2, 32767, -32768]);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect([...int16FromBytes(shifted.subarray(1))]).toEqual([1, -2, 32767, -32768]);
  });

  it('copies an unaligned Node Buffer instead of throwing (Buffer.slice is a view)', () => {
    type NodeBuffer = Uint8Array & { writeInt16LE(value: number, offset: number): number };
    const { Buffer } = globalThis as unknown as { Buffer: { alloc(size: number): NodeBuffer } };
    const pool = Buffer.alloc(9);
    pool.writeInt16LE(-300, 1);
    pool.writeInt16LE(300, 3);
    expect([...int16FromBytes(pool.subarray(1, 5))]).toEqual([-300, 300]);
  });

  it('refuses an odd byte length', () => {
    expect(() => int16FromBytes(new Uint8Array(3))).toThrow(RangeError);
  });

  it('measures duration from samples, rate and channels', () => {
    expect(pcmDurationMs(320, 16000)).toBe(20);
    expect(pcmDurationMs(1920, 48000, 2)).toBe(20);
  });
});
