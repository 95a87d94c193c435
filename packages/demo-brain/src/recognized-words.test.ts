import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOneEditApart, recognizedWords } from './recognized-words';

describe('recognizedWords', () => {
  it('lower-cases, drops apostrophes and splits on anything else', () => {
    expect(recognizedWords("What's the TIME, o'clock-wise?")).toEqual([
      'whats',
      'the',
      'time',
      'oclock',
      'wise',
    ]);
    expect(recognizedWords('  ')).toEqual([]);
  });
});

describe('isOneEditApart', () => {
  it('accepts one letter replaced, inserted or deleted', () => {
    expect(isOneEditApart('weather', 'wether')).toBe(true);
    expect(isOneEditApart('story', 'storey')).toBe(true);
    expect(isOneEditApart('hello', 'hallo')).toBe(true);
  });

  it('refuses two edits', () => {
    expect(isOneEditApart('weather', 'whether')).toBe(false);
    expect(isOneEditApart('story', 'stare')).toBe(false);
    expect(isOneEditApart('time', 'timers')).toBe(false);
  });

  it('is symmetric, and true for any single insertion', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdefghij'), maxLength: 8 });
    fc.assert(fc.property(word, word, (a, b) => isOneEditApart(a, b) === isOneEditApart(b, a)));
    fc.assert(
      fc.property(word, fc.nat(), fc.constantFrom(...'xyz'), (a, at, letter) => {
        const position = at % (a.length + 1);
        expect(isOneEditApart(a, a.slice(0, position) + letter + a.slice(position))).toBe(true);
      }),
    );
  });
});
