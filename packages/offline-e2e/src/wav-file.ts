import { AudioFormatError } from '@voxduplex/core';

/** The audio of a WAV file: interleaved samples scaled to −1…1, whatever the file's encoding. */
export interface DecodedWav {
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved, one value per channel per frame, in −1…1. */
  readonly samples: Float32Array;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * Reads a RIFF/WAVE file: integer PCM of 8, 16, 24 or 32 bits, or 32/64-bit float, any rate and
 * channel count (also `WAVE_FORMAT_EXTENSIBLE`). Throws an `AudioFormatError` for anything else.
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE')
    throw new AudioFormatError('not a WAV file (no RIFF/WAVE header)');
  let format: { tag: number; channels: number; sampleRate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      let formatTag = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (formatTag === EXTENSIBLE && size >= 26) formatTag = view.getUint16(body + 24, true);
      format = {
        tag: formatTag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!format) throw new AudioFormatError('WAV data chunk before its fmt chunk');
      const length = Math.min(size, bytes.byteLength - body);
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        samples: decodeSamples(view, body, length, format.tag, format.bits),
      };
    }
    offset = body + size + (size % 2);
  }
  throw new AudioFormatError('WAV file has no data chunk');
}

function decodeSamples(view: DataView, start: number, length: number, tag: number, bits: number) {
  const width = bits / 8;
  const count = Math.floor(length / width);
  const out = new Float32Array(count);
  const read = sampleReader(view, tag, bits);
  for (let i = 0; i < count; i++) out[i] = read(start + i * width);
  return out;
}

function sampleReader(view: DataView, tag: number, bits: number): (at: number) => number {
  if (tag === PCM && bits === 8) return (at) => (view.getUint8(at) - 128) / 128;
  if (tag === PCM && bits === 16) return (at) => view.getInt16(at, true) / 32768;
  if (tag === PCM && bits === 24)
    return (at) => (view.getUint16(at, true) | (view.getInt8(at + 2) << 16)) / 8388608;
  if (tag === PCM && bits === 32) return (at) => view.getInt32(at, true) / 2147483648;
  if (tag === IEEE_FLOAT && bits === 32) return (at) => view.getFloat32(at, true);
  if (tag === IEEE_FLOAT && bits === 64) return (at) => view.getFloat64(at, true);
  throw new AudioFormatError(`unsupported WAV encoding (format ${tag}, ${bits} bits)`);
}

/** A 16-bit PCM WAV file of interleaved samples. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const bytes = new Uint8Array(44 + samples.byteLength);
  const view = new DataView(bytes.buffer);
  const text = (at: number, value: string) => {
    for (let i = 0; i < value.length; i++) bytes[at + i] = value.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.byteLength, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.byteLength, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  return bytes;
}
