import { AudioFormatError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from './wav-file';

/** A WAV file with an arbitrary fmt chunk and raw sample bytes. */
function wavBytes(format: { tag: number; channels: number; rate: number; bits: number }, data: Uint8Array) {
  const isExtensible = format.tag === 0xfffe;
  const fmtSize = isExtensible ? 40 : 16;
  const bytes = new Uint8Array(12 + 8 + fmtSize + 8 + data.length);
  const view = new DataView(bytes.buffer);
  const text = (at: number, value: string) => {
    for (let i = 0; i < value.length; i++) view.setUint8(at + i, value.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, format.tag, true);
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.rate, true);
  view.setUint16(34, format.bits, true);
  if (isExtensible) view.setUint16(20 + 24, 3, true); // sub-format: IEEE float
  text(20 + fmtSize, 'data');
  view.setUint32(24 + fmtSize, data.length, true);
  bytes.set(data, 28 + fmtSize);
  return bytes;
}

describe('decodeWav', () => {
  it('reads back what encodeWav wrote', () => {
    const samples = Int16Array.from([0, 1000, -1000, 32767, -32768]);
    const decoded = decodeWav(encodeWav(samples, 22050, 1));
    expect(decoded.sampleRate).toBe(22050);
    expect(decoded.channels).toBe(1);
    expect([...decoded.samples].map((v) => Math.round(v * 32768))).toEqual([...samples]);
  });

  it('scales 8-bit, 24-bit and 32-bit integer PCM to −1…1', () => {
    const u8 = decodeWav(
      wavBytes({ tag: 1, channels: 1, rate: 8000, bits: 8 }, Uint8Array.from([0, 128, 192])),
    );
    expect([...u8.samples]).toEqual([-1, 0, 0.5]);
    const s24 = decodeWav(
      wavBytes({ tag: 1, channels: 2, rate: 48000, bits: 24 }, Uint8Array.from([0, 0, 0x40, 0, 0, 0xc0])),
    );
    expect(s24.channels).toBe(2);
    expect([...s24.samples]).toEqual([0.5, -0.5]);
    const s32 = new Uint8Array(new Int32Array([-1073741824]).buffer);
    expect([...decodeWav(wavBytes({ tag: 1, channels: 1, rate: 16000, bits: 32 }, s32)).samples]).toEqual([
      -0.5,
    ]);
  });

  it('reads float samples, also behind WAVE_FORMAT_EXTENSIBLE', () => {
    const data = new Uint8Array(new Float32Array([0.25, -0.75]).buffer);
    const plain = decodeWav(wavBytes({ tag: 3, channels: 1, rate: 44100, bits: 32 }, data));
    const extensible = decodeWav(wavBytes({ tag: 0xfffe, channels: 1, rate: 44100, bits: 32 }, data));
    expect([...plain.samples]).toEqual([0.25, -0.75]);
    expect([...extensible.samples]).toEqual([0.25, -0.75]);
  });

  it('rejects what is not a WAV, or an encoding it cannot read, with an AudioFormatError', () => {
    expect(() => decodeWav(new TextEncoder().encode('ID3 not a wav file'))).toThrow(AudioFormatError);
    expect(() =>
      decodeWav(wavBytes({ tag: 2, channels: 1, rate: 8000, bits: 4 }, new Uint8Array(4))),
    ).toThrow(/unsupported WAV encoding/);
  });
});
