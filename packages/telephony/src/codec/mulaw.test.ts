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

  it('keeps any sample within half the step of its segment (4 near zero, 512 at the top)', () => {
    // Checked for every Int16 value: a sampled property missed the 14 values near segment starts
    // where half a step is just over 3.6 % of the sample (the bound this test used to state).
    for (let sample = -32_768; sample <= 32_767; sample++) {
      const clipped = Math.max(-32_635, Math.min(32_635, sample));
      const back = decodeMulaw(encodeMulaw(Int16Array.of(sample)))[0]!;
      // G.711: segment e spans magnitudes (+132 bias) 2^(e+7) … 2^(e+8) in steps of 2^(e+3).
      const segment = Math.max(0, Math.floor(Math.log2(Math.abs(clipped) + 132)) - 7);
      expect(Math.abs(back - clipped)).toBeLessThanOrEqual(2 ** (segment + 2));
    }
  });
});
