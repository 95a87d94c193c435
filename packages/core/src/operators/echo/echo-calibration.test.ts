import { describe, expect, it } from 'vitest';
import { EchoCalibration } from './echo-calibration';

const fromDb = (db: number) => 10 ** (db / 10);
const toDb = (energy: number) => 10 * Math.log10(energy);
/** Speech-like agent energy: 150 ms syllables, 50 ms gaps. */
const agent = (block: number) => (block % 20 < 15 ? fromDb(-20 - (block % 5)) : 0);

function measure(echoDb: number, delayBlocks: number, user = 0): number | undefined {
  const calibration = new EchoCalibration(30, 80);
  let bound: number | undefined;
  for (let block = 0; block < 100; block++) {
    const echo = block >= delayBlocks ? agent(block - delayBlocks) * fromDb(echoDb) : 0;
    bound ??= calibration.push(echo + user, agent(block), agent(block) > 0);
  }
  return bound;
}

describe('EchoCalibration', () => {
  it.each([2, 15, 30])('never measures the echo quieter than it is, at %i blocks of delay', (delay) => {
    const bound = measure(-12, delay)!;
    expect(toDb(bound)).toBeGreaterThan(-12 - 1e-9);
    expect(toDb(bound)).toBeLessThan(-12 + 3);
  });

  it('measures no echo as the silence it is, and a user talking meanwhile only raises it', () => {
    expect(toDb(measure(-90, 8)!)).toBeLessThan(-85);
    expect(toDb(measure(-90, 8, fromDb(-30))!)).toBeGreaterThan(-15);
  });

  it('starts at the first audible agent block and ends once', () => {
    const calibration = new EchoCalibration(3, 5);
    expect(calibration.push(1, 0, false)).toBeUndefined();
    expect(calibration.isMeasuring).toBe(false);
    const results = [1, 2, 3, 4, 5, 6].map(() => calibration.push(0.1, 1, true));
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(results[4]).toBeCloseTo((5 * 0.1) / 2);
  });
});
