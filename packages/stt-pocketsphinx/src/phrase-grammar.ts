import { readFileSync } from 'node:fs';

const dictionaries = new Map<string, ReadonlySet<string>>();

/** The words of a PocketSphinx dictionary (`word PH ON ES`, alternates as `word(2)`), read once per path. */
export function dictionaryWords(path: string): ReadonlySet<string> {
  const cached = dictionaries.get(path);
  if (cached) return cached;
  const words = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const word = line.slice(0, line.indexOf(' ')).replace(/\(\d+\)$/, '');
    if (word !== '') words.add(word);
  }
  dictionaries.set(path, words);
  return words;
}

/** A phrase as dictionary words: lower case, punctuation other than `'` and `-` inside words dropped. */
function phraseWords(phrase: string): string[] {
  return phrase.toLowerCase().match(/[a-z0-9]+(?:['-][a-z0-9]+)*/g) ?? [];
}

/**
 * A JSGF grammar that accepts exactly one of `phrases`, or undefined when none is left: phrases
 * with a word the dictionary lacks are left out (PocketSphinx would refuse the whole grammar).
 */
export function phraseGrammar(phrases: readonly string[], known: ReadonlySet<string>): string | undefined {
  const usable = new Set<string>();
  for (const phrase of phrases) {
    const words = phraseWords(phrase);
    if (words.length > 0 && words.every((word) => known.has(word))) usable.add(words.join(' '));
  }
  if (usable.size === 0) return undefined;
  return `#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = ${[...usable].join(' | ')};\n`;
}
