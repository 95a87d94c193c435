import { describe, expect, it } from 'vitest';
import { WordTimings } from './word-timings';

describe('WordTimings', () => {
  it('gives each word to the first chunk ending after the word starts', () => {
    const words = new WordTimings();
    words.add({ word: 'a', startMs: 0, durationMs: 100 });
    words.add({ word: 'b', startMs: 150, durationMs: 100 });
    expect(words.takeUntil(100)?.map((w) => w.word)).toEqual(['a']);
    expect(words.takeUntil(140)).toBeUndefined();
    expect(words.takeUntil(200)?.map((w) => w.word)).toEqual(['b']);
    expect(words.takeAll()).toBeUndefined();
  });

  it('hands out words past the last audio at the end', () => {
    const words = new WordTimings();
    words.add({ word: 'late', startMs: 900, durationMs: 10 });
    expect(words.takeUntil(500)).toBeUndefined();
    expect(words.takeAll()?.map((w) => w.word)).toEqual(['late']);
  });
});
