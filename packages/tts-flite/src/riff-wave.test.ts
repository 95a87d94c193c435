import { describe, expect, it } from 'vitest';
import { readRiffWaveLayout } from './riff-wave';

function header(sampleRate: number, { format = 1, bits = 16, extraChunk = false } = {}): Uint8Array {
  const extra = extraChunk ? 12 : 0;
  const bytes = new Uint8Array(44 + extra);
  const view = new DataView(bytes.buffer);
  const put = (offset: number, text: string) => bytes.set(new TextEncoder().encode(text), offset);
  put(0, 'RIFF');
  view.setUint32(4, 36 + extra, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint16(34, bits, true);
  if (extraChunk) {
    put(36, 'LIST');
    view.setUint32(40, 4, true);
  }
  put(36 + extra, 'data');
  return bytes;
}

describe('readRiffWaveLayout', () => {
  it('finds the rate and the first sample of a 16-bit PCM file', () => {
    expect(readRiffWaveLayout(header(16000))).toEqual({ sampleRate: 16000, channels: 1, dataOffset: 44 });
  });

  it('skips chunks it does not know', () => {
    expect(readRiffWaveLayout(header(8000, { extraChunk: true }))).toEqual({
      sampleRate: 8000,
      channels: 1,
      dataOffset: 56,
    });
  });

  it('refuses incomplete, non-RIFF and non-16-bit-PCM bytes', () => {
    expect(readRiffWaveLayout(header(16000).subarray(0, 30))).toBeUndefined();
    expect(readRiffWaveLayout(new TextEncoder().encode('not a wave file at all, no'))).toBeUndefined();
    expect(readRiffWaveLayout(header(16000, { format: 3 }))).toBeUndefined();
    expect(readRiffWaveLayout(header(16000, { bits: 8 }))).toBeUndefined();
  });
});
