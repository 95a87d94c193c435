import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMicFrame, encodeMicFrame, MIC_FRAME_HEADER_BYTES } from './mic-frame';

describe('mic frame codec', () => {
  it('round-trips samples, seq and sample rate, whatever the buffer alignment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 960 }),
        fc.nat(),
        fc.constantFrom(8000, 16000, 24000, 48000),
        fc.boolean(),
        (values, seq, sampleRate, isOddOffset) => {
          const encoded = new Uint8Array(encodeMicFrame(Int16Array.from(values), seq, sampleRate));
          // Node hands Socket.IO payloads over as Buffers that may start at an odd offset.
          const holder = new Uint8Array(encoded.byteLength + 1);
          holder.set(encoded, isOddOffset ? 1 : 0);
          const payload = holder.subarray(isOddOffset ? 1 : 0, (isOddOffset ? 1 : 0) + encoded.byteLength);
          const decoded = decodeMicFrame(payload);
          expect(decoded).toHaveProperty('frame');
          if (!('frame' in decoded)) return;
          expect(Array.from(decoded.frame.samples)).toEqual(values);
          expect(decoded.frame.seq).toBe(seq >>> 0);
          expect(decoded.frame.sampleRate).toBe(sampleRate);
        },
      ),
    );
  });

  it('decodes a Node Buffer at an odd offset (as Socket.IO delivers them)', () => {
    const encoded = Buffer.from(encodeMicFrame(Int16Array.from([1, -2, 300]), 5, 16000));
    const pool = Buffer.alloc(encoded.length + 1);
    encoded.copy(pool, 1);
    const decoded = decodeMicFrame(pool.subarray(1));
    expect(decoded).toMatchObject({ frame: { seq: 5 } });
    if ('frame' in decoded) expect(Array.from(decoded.frame.samples)).toEqual([1, -2, 300]);
  });

  it('refuses non-binary payloads', () => {
    for (const payload of ['AAAA', [1, 2, 3], { samples: [1] }, null, 42])
      expect(decodeMicFrame(payload)).toMatchObject({ problem: 'not_binary' });
  });

  it('refuses a short header, an unknown version and odd PCM byte lengths', () => {
    expect(decodeMicFrame(new Uint8Array(MIC_FRAME_HEADER_BYTES - 1))).toMatchObject({
      problem: 'bad_frame',
    });
    const wrongVersion = new Uint8Array(encodeMicFrame(new Int16Array(4), 0, 16000));
    wrongVersion[0] = 9;
    expect(decodeMicFrame(wrongVersion)).toMatchObject({ problem: 'bad_frame', detail: /version 9/ });
    const odd = new Uint8Array(MIC_FRAME_HEADER_BYTES + 3);
    odd.set(new Uint8Array(encodeMicFrame(new Int16Array(0), 0, 16000)));
    expect(decodeMicFrame(odd)).toMatchObject({ problem: 'bad_frame', detail: /odd PCM byte length 3/ });
  });
});
