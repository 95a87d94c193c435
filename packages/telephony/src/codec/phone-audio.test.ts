import { floatToInt16, int16ToFloat } from '@voxduplex/core/dsp';
import { decibels, rms, sine, toneAmplitude } from '@voxduplex/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMulaw } from './mulaw';
import { AgentAudioEncoder, CallerAudioDecoder, PHONE_FRAME_SAMPLES } from './phone-audio';

function encodeAll(samples: Int16Array, rate: number, splits: readonly number[]) {
  const encoder = new AgentAudioEncoder(rate);
  const frames = [];
  let start = 0;
  for (const end of [...splits, samples.length]) {
    frames.push(...encoder.encode(samples.subarray(start, Math.max(start, end))));
    start = Math.max(start, end);
  }
  frames.push(...encoder.flush());
  return frames;
}

describe('agent audio → phone frames', () => {
  it('cuts a 16 kHz speech in chunks of any length into the same 20 ms μ-law frames', () => {
    const speech = floatToInt16(sine(440, 16_000, 16_000 * 0.55));
    const whole = encodeAll(speech, 16_000, []);
    expect(whole.every((f) => f.payload.length === PHONE_FRAME_SAMPLES)).toBe(true);
    // 550 ms: 27 full frames and a padded last one that ends at 550 ms, not 560.
    expect(whole.map((f) => f.endMs)).toEqual([...Array.from({ length: 27 }, (_, i) => (i + 1) * 20), 550]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: speech.length }), { maxLength: 12 }), (cuts) => {
        const split = encodeAll(
          speech,
          16_000,
          [...cuts].sort((a, b) => a - b),
        );
        expect(split.map((f) => Array.from(f.payload))).toEqual(whole.map((f) => Array.from(f.payload)));
      }),
      { numRuns: 30 },
    );
  });

  it('keeps a 1 kHz voice tone and filters out a 6 kHz one instead of folding it to 2 kHz', () => {
    const rate = 16_000;
    const mixed = sine(1000, rate, rate, 0.3).map(
      (v, i) => v + 0.3 * Math.sin((2 * Math.PI * 6000 * i) / rate),
    );
    const pcm = new Int16Array(
      encodeAll(floatToInt16(mixed), rate, []).flatMap((f) => Array.from(decodeBack(f.payload))),
    );
    const steady = int16ToFloat(pcm).subarray(800, 7200);
    expect(toneAmplitude(steady, 1000, 8000)).toBeGreaterThan(0.27);
    // A plain decimation would put the 6 kHz tone at 2 kHz with the same amplitude.
    expect(decibels(toneAmplitude(steady, 2000, 8000), 0.3)).toBeLessThan(-40);
  });
});

function decodeBack(mulaw: Uint8Array): Int16Array {
  return new CallerAudioDecoder(8000).decode(mulaw);
}

describe('caller audio → recognizer', () => {
  it('turns 8 kHz μ-law into 16 kHz PCM at the same level, twice as many samples', () => {
    const tone = floatToInt16(sine(500, 8000, 8000, 0.4));
    const decoder = new CallerAudioDecoder(16_000);
    const out: number[] = [];
    for (let i = 0; i < tone.length; i += PHONE_FRAME_SAMPLES)
      out.push(...decoder.decode(encodeMulaw(tone.subarray(i, i + PHONE_FRAME_SAMPLES))));
    // The filter holds back its few ms of latency until more audio comes.
    expect(out.length).toBeGreaterThan(15_800);
    expect(out.length).toBeLessThanOrEqual(16_000);
    const steady = int16ToFloat(Int16Array.from(out)).subarray(1000, 15_000);
    expect(toneAmplitude(steady, 500, 16_000)).toBeCloseTo(0.4, 1);
    expect(rms(steady)).toBeCloseTo(0.4 / Math.SQRT2, 1);
  });
});
