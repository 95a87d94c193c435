import fc from 'fast-check';
import { from, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Sentence, Token } from '../frames/agent';
import { type ChunkSentencesOptions, chunkSentences } from './chunk-sentences';
import { cleanForSpeech, isSpeakable } from './text/clean-for-speech';
import { DEFAULT_ABBREVIATIONS } from './text/sentence-boundary';
import { splitSentences } from './text/split-sentences';

/** A piece of agent text; `protectedPhrase` must never be cut. */
interface Fragment {
  readonly text: string;
  /** Written straight after the previous fragment, with no whitespace between. */
  readonly isAttached?: boolean;
  readonly protectedPhrase?: string;
}

const name = fc.constantFrom('Smith', 'Paris', 'Jones', 'Zoë');
const protectedFragment: fc.Arbitrary<Fragment> = fc
  .oneof(
    fc.tuple(fc.nat(9999), fc.nat(999)).map(([whole, fraction]) => `${whole}.${fraction}`),
    fc.constantFrom('1,000', '12,345,678', '0.5', '10:30'),
    fc
      .tuple(fc.constantFrom(...DEFAULT_ABBREVIATIONS), name)
      .map(([abbreviation, n]) => `${abbreviation} ${n}`),
    name.map((n) => `J. R. ${n}`),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.emailAddress(),
    fc
      .tuple(fc.constantFrom('...', '…'), fc.constantFrom('maybe', 'then', 'well'))
      .map(([e, w]) => `Well${e} ${w}`),
  )
  .map((phrase) => ({ text: phrase, protectedPhrase: phrase }));
// A numbered list item starts its line.
const listItem: fc.Arbitrary<Fragment> = fc
  .tuple(fc.integer({ min: 1, max: 99 }), name)
  .map(([n, item]) => ({ text: `\n${n}. ${item}`, protectedPhrase: `${n}. ${item}` }));

const filler: fc.Arbitrary<Fragment> = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom('hello', 'world', 'Yes', 'The', 'quick', 'über', 'naïve', 'I', 'a', 'x2'),
    },
    { weight: 2, arbitrary: fc.constantFrom('🎉', '👍🏽', '👨‍👩‍👧', '🇺🇸', '❤️', '1️⃣') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '**bold**',
        '*em*',
        '_em_',
        '**',
        '# Title',
        '- item',
        '`code`',
        '```js',
        '[link](https://x.dev/a.b)',
        '| a | b |',
        '---',
        '"quoted"',
        '(aside)',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  )
  .map((text) => ({ text }));
const punctuation: fc.Arbitrary<Fragment> = fc
  .constantFrom('.', '.', '?', '!', '?!', '...', '…', ',', ';', ':', ' —', '!!!', '."', '.**', ')')
  .map((text) => ({ text, isAttached: true }));
const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\n\n', '\t');

/** Agent text: words, decimals, abbreviations, URLs, emoji, markdown and punctuation runs. */
const agentText = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 6, arbitrary: filler },
        { weight: 4, arbitrary: punctuation },
        { weight: 2, arbitrary: protectedFragment },
        { weight: 1, arbitrary: listItem },
      ),
      separator,
    ),
    { minLength: 1, maxLength: 60, size: 'medium' },
  )
  .map((parts) => {
    let text = '';
    const protectedPhrases: string[] = [];
    for (const [fragment, space] of parts) {
      text += (fragment.isAttached || text === '' ? '' : space) + fragment.text;
      if (fragment.protectedPhrase !== undefined) protectedPhrases.push(fragment.protectedPhrase);
    }
    return { text, protectedPhrases };
  });

/** Cuts `text` at arbitrary UTF-16 positions (halves of surrogate pairs included). */
const tokenize = (text: string, cuts: readonly number[]): string[] => {
  const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const position of [...positions, text.length]) {
    pieces.push(text.slice(start, position));
    start = position;
  }
  return pieces;
};
const cutPositions = fc.array(fc.nat(), { maxLength: 30 });

const options: fc.Arbitrary<ChunkSentencesOptions> = fc.oneof(
  fc.constant({}),
  fc.record({ firstChunkMinChars: fc.nat(30), minChars: fc.nat(60) }),
);

const ref = { turnId: 'turn-1', speechId: 'speech-1' };

/** Runs the operator synchronously; records after how many tokens each sentence left. */
function run(pieces: readonly string[], chunkingOptions?: ChunkSentencesOptions) {
  const tokens: Token[] = pieces.map((text, index) => ({ ...ref, text, index }));
  const sentences: Sentence[] = [];
  const tokensSeen: number[] = [];
  let seen = 0;
  let isComplete = false;
  from(tokens)
    .pipe(tap({ next: () => seen++, complete: () => (isComplete = true) }), chunkSentences(chunkingOptions))
    .subscribe((sentence) => {
      sentences.push(sentence);
      tokensSeen.push(isComplete ? Number.POSITIVE_INFINITY : seen);
    });
  return { sentences, tokensSeen };
}

describe('chunkSentences properties', () => {
  it('gives back the input exactly when the displayTexts are joined, for any tokens', () => {
    fc.assert(
      fc.property(agentText, cutPositions, options, ({ text }, cuts, chunkingOptions) => {
        const { sentences } = run(tokenize(text, cuts), chunkingOptions);
        const joined = sentences.map((s) => s.displayText).join('');
        expect(joined).toBe(isSpeakable(cleanForSpeech(text)) ? text : '');
      }),
    );
  });

  it('never emits a sentence without something to say, and its text is its displayText cleaned', () => {
    fc.assert(
      fc.property(agentText, cutPositions, options, ({ text }, cuts, chunkingOptions) => {
        for (const sentence of run(tokenize(text, cuts), chunkingOptions).sentences) {
          expect(sentence.text).not.toBe('');
          expect(isSpeakable(sentence.text)).toBe(true);
          expect(sentence.text).toBe(cleanForSpeech(sentence.displayText));
        }
      }),
    );
  });

  it('emits what splitSentences returns for the whole text, however it is tokenized', () => {
    fc.assert(
      fc.property(agentText, cutPositions, options, ({ text }, cuts, chunkingOptions) => {
        const streamed = run(tokenize(text, cuts), chunkingOptions).sentences;
        expect(streamed.map(({ text: t, displayText }) => ({ text: t, displayText }))).toEqual(
          splitSentences(text, chunkingOptions),
        );
      }),
    );
  });

  it('never emits more sentences when two adjacent tokens are merged', () => {
    fc.assert(
      fc.property(agentText, cutPositions, fc.nat(), options, ({ text }, cuts, at, chunkingOptions) => {
        const pieces = tokenize(text, cuts);
        const i = at % Math.max(1, pieces.length - 1);
        const merged = [...pieces.slice(0, i), pieces.slice(i, i + 2).join(''), ...pieces.slice(i + 2)];
        const before = run(pieces, chunkingOptions).sentences.length;
        expect(run(merged, chunkingOptions).sentences.length).toBeLessThanOrEqual(before);
      }),
    );
  });

  it('never cuts inside a decimal, abbreviation, initial, URL, e-mail address, ellipsis or list item', () => {
    fc.assert(
      fc.property(agentText, cutPositions, options, ({ text, protectedPhrases }, cuts, chunkingOptions) => {
        const displayTexts = run(tokenize(text, cuts), {
          ...chunkingOptions,
          firstChunkMinChars: 0,
          minChars: 0,
        }).sentences.map((s) => s.displayText);
        if (displayTexts.length === 0) return;
        for (const phrase of protectedPhrases) {
          expect(displayTexts.some((displayText) => displayText.includes(phrase))).toBe(true);
        }
      }),
    );
  });

  it('only ends a chunk short of minChars (firstChunkMinChars for the first) at the end of the speech', () => {
    fc.assert(
      fc.property(agentText, cutPositions, options, ({ text }, cuts, chunkingOptions) => {
        const sentences = run(tokenize(text, cuts), chunkingOptions).sentences;
        for (const sentence of sentences.slice(0, -1)) {
          const minChars =
            sentence.index === 0
              ? (chunkingOptions.firstChunkMinChars ?? 4)
              : (chunkingOptions.minChars ?? 20);
          expect(sentence.text.length).toBeGreaterThanOrEqual(minChars);
        }
      }),
    );
  });

  it('sends each sentence but the last with the token that brings the first speakable character after it', () => {
    fc.assert(
      fc.property(agentText, cutPositions, options, ({ text }, cuts, chunkingOptions) => {
        const pieces = tokenize(text, cuts);
        const { sentences, tokensSeen } = run(pieces, chunkingOptions);
        const tokenEnds = pieces.map((_, i) => pieces.slice(0, i + 1).join('').length);
        let end = 0;
        sentences.slice(0, -1).forEach((sentence, i) => {
          end += sentence.displayText.length;
          let speakableAt = end + 1;
          while (speakableAt < text.length && !isSpeakable(cleanForSpeech(text.slice(end, speakableAt)))) {
            speakableAt++;
          }
          const expectedTokens = tokenEnds.findIndex((tokenEnd) => tokenEnd >= speakableAt) + 1;
          expect(tokensSeen[i]).toBe(expectedTokens);
        });
      }),
    );
  });

  it('numbers the sentences of each speech 0..n-1 and keeps each speech whole, over several speeches', () => {
    const speeches = fc.array(fc.tuple(agentText, cutPositions), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(speeches, options, (texts, chunkingOptions) => {
        const tokens: Token[] = texts.flatMap(([{ text }, cuts], n) =>
          tokenize(text, cuts).map((piece, index) => ({
            turnId: `turn-${Math.floor(n / 2)}`,
            speechId: `speech-${n}`,
            text: piece,
            index,
          })),
        );
        const sentences: Sentence[] = [];
        from(tokens)
          .pipe(chunkSentences(chunkingOptions))
          .subscribe((s) => sentences.push(s));
        texts.forEach(([{ text }], n) => {
          const own = sentences.filter((s) => s.speechId === `speech-${n}`);
          expect(own.map((s) => s.index)).toEqual(own.map((_, i) => i));
          expect(own.every((s) => s.turnId === `turn-${Math.floor(n / 2)}`)).toBe(true);
          expect(own.map((s) => s.displayText).join('')).toBe(isSpeakable(cleanForSpeech(text)) ? text : '');
        });
        // Speeches never interleave: each one's sentences come before the next one's.
        const order = sentences.map((s) => Number(s.speechId.slice('speech-'.length)));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
    );
  });
});
