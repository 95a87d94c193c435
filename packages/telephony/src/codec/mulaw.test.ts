import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMulaw, encodeMulaw, MULAW_SILENCE } from './mulaw';

describe('G.711 μ-law', () => {
  it('has the values the standard gives for silence and the extremes', () => {
    expect(encodeMulaw(Int16Array.of(0))[0]).toBe(MULAW_SILENCE);
    expect(Array.from(decodeMulaw(Uint8Array.of(0xff, 0x7f, 0x00, 0x80)))).toEqual([0, 0, -32_124, 32_124]);
    expect(Array.from(encodeMulaw(Int16Array.of(32_767, -32_768)))).toEqual([0x80, 0x00]);
  });

  it('round-trips every byte exactly (decode then encode)', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const back = encodeMulaw(decodeMulaw(bytes));
    // 0x7f and 0xff both mean 0; the encoder picks the positive zero.
    expect(Array.from(back).filter((b, i) => b !== i && !(i === 0x7f && b === 0xff))).toEqual([]);
  });

  it('keeps any sample within half a segment step (under 3.6 % of its size, 8 near zero)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -32_768, max: 32_767 }), (sample) => {
        const back = decodeMulaw(encodeMulaw(Int16Array.of(sample)))[0]!;
        const error = Math.abs(back - Math.max(-32_635, Math.min(32_635, sample)));
        expect(error).toBeLessThanOrEqual(Math.max(8, Math.abs(sample) * 0.036));
      }),
    );
  });
});
