import { describe, expect, it } from 'vitest';
import { attenuate, delay, echoOf, sum } from './echo-path';
import { bandPass } from './filter';
import { levelDb, rms, SAMPLE_RATE } from './samples';

const tone = (frequencyHz: number, ms = 500) =>
  Float32Array.from(
    { length: (ms * SAMPLE_RATE) / 1000 },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * frequencyHz * i) / SAMPLE_RATE),
  );
/** Level of the steady part (the filters' start-up left out). */
const steadyDb = (samples: Float32Array, reference: Float32Array) =>
  levelDb(rms(samples.subarray(2000)) / rms(reference.subarray(2000)));

describe('echo path helpers', () => {
  it('band-pass keeps the voice band and cuts rumble and hiss', () => {
    expect(Math.abs(steadyDb(bandPass(tone(1000), 250, 5000), tone(1000)))).toBeLessThan(1);
    expect(steadyDb(bandPass(tone(60), 250, 5000), tone(60))).toBeLessThan(-40);
    expect(steadyDb(bandPass(tone(7500), 250, 5000), tone(7500))).toBeLessThan(-15);
    expect(() => bandPass(tone(100), 5000, 250)).toThrow(RangeError);
  });

  it('delay shifts by whole samples and keeps the length', () => {
    const input = Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const shifted = delay(input, 0.5); // 8 samples at 16 kHz
    expect(Array.from(shifted)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('echoOf gives the agent’s audio back at the asked level and delay, under the user’s voice', () => {
    const agent = tone(1000, 1000);
    const echo = echoOf(agent, { delayMs: 80, gainDb: -12 });
    expect(echo.length).toBe(agent.length);
    expect(echo.subarray(0, 80 * 16).every((sample) => sample === 0)).toBe(true);
    expect(Math.abs(levelDb(rms(echo.subarray(4000)) / rms(agent.subarray(4000))) + 12)).toBeLessThan(1);
    const mic = sum(attenuate(tone(300, 1000), -3), echo);
    expect(mic.length).toBe(agent.length);
  });
});
