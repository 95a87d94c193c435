import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, payloadMs, silencePayload } from './phone-format';

const L16 = { encoding: 'l16', sampleRate: 16_000 } as const;
const PCMU = { encoding: 'mulaw', sampleRate: 8000 } as const;

describe('phone payload formats', () => {
  it('writes L16 big-endian, as RTP sends it, and reads it back exactly', () => {
    expect(Array.from(encodePayload(L16, Int16Array.of(1, -2, 0x1234)))).toEqual([
      0, 1, 0xff, 0xfe, 0x12, 0x34,
    ]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 })), (values) => {
        const samples = Int16Array.from(values);
        expect(decodePayload(L16, encodePayload(L16, samples))).toEqual(samples);
      }),
    );
  });

  it('measures payloads and makes silence in either format', () => {
    expect(payloadMs(L16, 640)).toBe(20);
    expect(payloadMs(PCMU, 160)).toBe(20);
    expect(decodePayload(L16, silencePayload(L16, 320))).toEqual(new Int16Array(320));
    expect(decodePayload(PCMU, silencePayload(PCMU, 160))).toEqual(new Int16Array(160));
  });
});
