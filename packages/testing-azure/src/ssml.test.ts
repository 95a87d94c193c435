import { describe, expect, it } from 'vitest';
import { parseSsml } from './ssml';

describe('parseSsml', () => {
  it('reads voice, relative or absolute rate, and the unescaped words', () => {
    expect(
      parseSsml('<speak><voice name="v1"><prosody rate="+50%">a &amp; b</prosody></voice></speak>'),
    ).toEqual({
      voice: 'v1',
      rate: 1.5,
      words: ['a', '&', 'b'],
    });
    expect(parseSsml('<speak><prosody rate="0.5">x</prosody></speak>').rate).toBe(0.5);
    expect(parseSsml('<speak>plain</speak>')).toEqual({ voice: undefined, rate: 1, words: ['plain'] });
  });
});
