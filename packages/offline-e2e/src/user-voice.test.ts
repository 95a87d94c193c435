import { describe, expect, it } from 'vitest';
import { concatSamples, voicedSpan } from './user-voice';

const RATE = 16_000;
/** `ms` of a 200 Hz tone at `amplitude`. */
const tone = (ms: number, amplitude: number) =>
  Int16Array.from({ length: (RATE * ms) / 1000 }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 200 * i) / RATE)),
  );
const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);
const join = (...parts: Int16Array[]) => concatSamples(parts);

describe('voicedSpan', () => {
  it('finds the voice between silences', () => {
    expect(voicedSpan(join(silence(300), tone(500, 8000), silence(200)))).toEqual({
      onsetMs: 300,
      offsetMs: 800,
    });
  });

  it('skips a click before the voice, as Flite starts its audio with one', () => {
    const clicked = join(silence(300), tone(10, 8000), silence(240), tone(500, 8000), silence(200));
    expect(voicedSpan(clicked)).toEqual({ onsetMs: 550, offsetMs: 1050 });
  });

  it('takes soft noise and silence for no voice', () => {
    expect(voicedSpan(join(silence(200), tone(400, 200)))).toBeUndefined();
    expect(voicedSpan(silence(500))).toBeUndefined();
  });
});
