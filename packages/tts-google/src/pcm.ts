import { AudioFormatError } from '@voxduplex/core';

/**
 * Joins audio bytes arriving in pieces into whole Int16 samples: a piece may end in the middle of a
 * sample, whose first byte waits for the next piece.
 */
export class PcmAssembler {
  #carry: Buffer | undefined;

  /** The whole samples now available (a copy, safe to keep). */
  push(bytes: Uint8Array): Int16Array {
    const all = this.#carry ? Buffer.concat([this.#carry, bytes]) : Buffer.from(bytes);
    const whole = all.length - (all.length % 2);
    this.#carry = whole < all.length ? all.subarray(whole) : undefined;
    const samples = new Int16Array(whole / 2);
    new Uint8Array(samples.buffer).set(all.subarray(0, whole));
    return samples;
  }
}

/**
 * The PCM inside a WAV file (unary LINEAR16 answers carry a RIFF header): walks the chunks to `data`.
 * Bytes without a RIFF header are taken as raw PCM.
 */
export function pcmFromWav(bytes: Uint8Array): { pcm: Uint8Array; sampleRate: number | undefined } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    view.length < 12 ||
    view.toString('ascii', 0, 4) !== 'RIFF' ||
    view.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    return { pcm: bytes, sampleRate: undefined };
  }
  let sampleRate: number | undefined;
  for (let at = 12; at + 8 <= view.length; ) {
    const id = view.toString('ascii', at, at + 4);
    const size = view.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 16 <= view.length) {
      if (view.readUInt16LE(at + 8) !== 1 || view.readUInt16LE(at + 22) !== 16) {
        throw new AudioFormatError('Google TTS returned WAV that is not 16-bit PCM');
      }
      sampleRate = view.readUInt32LE(at + 12);
    }
    if (id === 'data')
      return { pcm: view.subarray(at + 8, Math.min(view.length, at + 8 + size)), sampleRate };
    at += 8 + size + (size % 2);
  }
  throw new AudioFormatError('Google TTS returned a WAV file without a data chunk');
}
