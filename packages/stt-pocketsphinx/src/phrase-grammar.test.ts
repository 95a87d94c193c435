import { describe, expect, it } from 'vitest';
import { phraseGrammar } from './phrase-grammar';

describe('phraseGrammar', () => {
  const known = new Set(['stop', 'hold', 'on', 'uh-huh', "i'm", 'done']);

  it('accepts each usable phrase once, in dictionary words', () => {
    expect(phraseGrammar(['Stop!', 'hold on', 'stop', 'uh-huh', "I'm done."], known)).toBe(
      "#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = stop | hold on | uh-huh | i'm done;\n",
    );
  });

  it('leaves out phrases with an unknown word, and gives none when nothing is left', () => {
    expect(phraseGrammar(['stop', 'shush now'], known)).toContain('= stop;');
    expect(phraseGrammar(['shush', '...'], known)).toBeUndefined();
  });
});
