import { describe, expect, it } from 'vitest';
import { EchoDelayEstimator } from './echo-delay';

const fromDb = (db: number) => 10 ** (db / 10);

/** Speech-like loudness: syllables of varied length and level, gaps between words (seeded). */
function speechContour(blocks: number, seed = 1): number[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const contour: number[] = [];
  while (contour.length < blocks) {
    const syllable = 8 + Math.floor(random() * 15);
    const level = -30 + random() * 20;
    for (let i = 0; i < syllable; i++)
      contour.push(fromDb(level - (3 * Math.abs(i - syllable / 2)) / syllable));
    const gap = random() < 0.3 ? 10 + Math.floor(random() * 20) : 2;
    for (let i = 0; i < gap; i++) contour.push(fromDb(-70));
  }
  return contour.slice(0, blocks);
}

describe('EchoDelayEstimator', () => {
  it.each([2, 8, 15, 28])('finds an echo %i blocks late in speech', (delay) => {
    const estimator = new EchoDelayEstimator(30);
    const agent = speechContour(400);
    agent.forEach((energy, block) => {
      const echo = block >= delay ? agent[block - delay]! * fromDb(-12) : 0;
      estimator.push(echo + fromDb(-75), energy);
    });
    expect(estimator.delayBlocks).toBe(delay);
  });

  it('finds none in a steady tone, where every delay matches alike, or every fifth', () => {
    const steady = new EchoDelayEstimator(30);
    for (let block = 0; block < 400; block++) steady.push(fromDb(-28), fromDb(-13));
    expect(steady.delayBlocks).toBeUndefined();
    const periodic = new EchoDelayEstimator(30);
    for (let block = 0; block < 400; block++)
      periodic.push(fromDb(-28 + (block % 5) * 0.2), fromDb(-13 + (block % 5) * 0.2));
    expect(periodic.delayBlocks).toBeUndefined();
  });

  it('finds none when the microphone holds no echo (headphones)', () => {
    const estimator = new EchoDelayEstimator(30);
    for (const energy of speechContour(400)) estimator.push(fromDb(-75), energy);
    expect(estimator.delayBlocks).toBeUndefined();
  });
});
