import { AudioFormatError } from '@voxduplex/core';
import { SAMPLE_RATE } from './samples';

/** The samples of a 16-bit PCM WAV (walks the RIFF chunks to find `data`). */
export function readWav(bytes: Uint8Array): { samples: Int16Array; sampleRate: number; channels: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE')
    throw new AudioFormatError('not a RIFF/WAVE file');
  let sampleRate = 0;
  let channels = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = text(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      channels = view.getUint16(offset + 10, true);
      sampleRate = view.getUint32(offset + 12, true);
      const bits = view.getUint16(offset + 22, true);
      if (bits !== 16) throw new AudioFormatError(`expected 16-bit PCM, got ${bits}-bit`);
    } else if (id === 'data') {
      // A copy of just the data: `bytes` may be a Node Buffer, whose slice() is a view into a
      // larger (file or pool) buffer — reading that buffer from 0 gave the header as samples.
      const start = bytes.byteOffset + offset + 8;
      const length = Math.min(size, bytes.length - offset - 8) & ~1;
      return { samples: new Int16Array(bytes.buffer.slice(start, start + length)), sampleRate, channels };
    }
    offset += 8 + size + (size % 2);
  }
  throw new AudioFormatError('no data chunk in WAV');
}

/** A 16-bit mono PCM WAV of `samples` at 16 kHz (or `sampleRate`). */
export function writeWav(samples: Int16Array, sampleRate = SAMPLE_RATE): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const put = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  return bytes;
}
