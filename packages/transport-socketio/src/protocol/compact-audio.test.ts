import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPACT_AUDIO_MARKER, encodeCompactAudio, readCompactAudio } from './compact-audio';
import { decodeMicFrame } from './mic-frame';

const utf8 = new TextDecoder();

describe('compact audio message', () => {
  it('carries the namespace and a mic frame that decodes to the same samples, seq and rate', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).map((name) => `/${name}`),
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 960 }),
        fc.nat(),
        fc.constantFrom(8000, 16000, 48000),
        (namespace, values, seq, sampleRate) => {
          const message = encodeCompactAudio(namespace, Int16Array.from(values), seq, sampleRate);
          const read = readCompactAudio(message);
          expect(read).toBeDefined();
          if (!read) return;
          expect(utf8.decode(read.namespace)).toBe(namespace);
          const decoded = decodeMicFrame(read.frame);
          expect(decoded).toHaveProperty('frame');
          if (!('frame' in decoded)) return;
          expect(Array.from(decoded.frame.samples)).toEqual(values);
          expect(decoded.frame.seq).toBe(seq >>> 0);
          expect(decoded.frame.sampleRate).toBe(sampleRate);
        },
      ),
    );
  });

  it('is not recognised in bytes without the marker or cut inside the namespace', () => {
    expect(readCompactAudio(new Uint8Array([1, 1, 0, 0]))).toBeUndefined();
    expect(readCompactAudio(new Uint8Array([COMPACT_AUDIO_MARKER]))).toBeUndefined();
    expect(readCompactAudio(new Uint8Array([COMPACT_AUDIO_MARKER, 6, 0x2f, 0x76]))).toBeUndefined();
  });

  it('refuses a namespace longer than 255 UTF-8 bytes', () => {
    expect(() => encodeCompactAudio(`/${'é'.repeat(128)}`, new Int16Array(4), 0, 16000)).toThrow(RangeError);
  });
});
