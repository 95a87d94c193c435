import { describe, expect, it } from 'vitest';
import { chunkProblem } from './chunk-check';

const good = { speechId: 's1', seq: 0, sampleRate: 24_000, samples: new Int16Array(480) };

describe('chunkProblem', () => {
  it('accepts a well-formed Int16 or float chunk', () => {
    expect(chunkProblem(good)).toBeUndefined();
    expect(chunkProblem({ ...good, samples: new Float32Array(4) })).toBeUndefined();
  });

  it.each([
    ['a zero sample rate', { sampleRate: 0 }, /sampleRate/],
    ['a fractional sample rate', { sampleRate: 22_050.5 }, /sampleRate/],
    ['an absurd sample rate', { sampleRate: 10_000_000 }, /sampleRate/],
    ['a negative seq', { seq: -2 }, /seq/],
    ['an empty speechId', { speechId: '' }, /speechId/],
    ['samples as a plain array', { samples: [1, 2] }, /samples/],
  ])('names %s', (_name, change, message) => {
    expect(chunkProblem({ ...good, ...change } as typeof good)).toMatch(message);
  });
});
