import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/families';
import type { Sentence, Token } from '../frames/agent';
import type { SpeechRef } from '../frames/identity';
import { type ChunkSentencesOptions, chunkSentences } from './chunk-sentences';

const first: SpeechRef = { turnId: 'turn-1', speechId: 'speech-1' };
const second: SpeechRef = { turnId: 'turn-1', speechId: 'speech-2' };

const token = (text: string, ref: SpeechRef = first, index = 0): Token => ({ ...ref, text, index });
const sentence = (displayText: string, text: string, index: number, ref: SpeechRef = first): Sentence => ({
  ...ref,
  text,
  displayText,
  index,
});

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Streams `pieces` as tokens of one speech and collects the display texts of the sentences. */
async function chunk(pieces: readonly string[], options?: ChunkSentencesOptions): Promise<string[]> {
  const tokens = pieces.map((text, index) => token(text, first, index));
  const sentences = await lastValueFrom(from(tokens).pipe(chunkSentences(options), toArray()));
  return sentences.map((s) => s.displayText);
}

/** How an LLM streams: a token per word, the space in front of the word. */
const words = (text: string) => text.split(/(?=\s)/);
const characters = (text: string) => [...text];

describe('chunkSentences: when sentences leave', () => {
  it('sends the first chunk at its first clause boundary, not at the end of the stream', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const tokens$ = cold('-a---b-------c------d----|', {
        a: token('Sure thing,'),
        b: token(' let me'),
        c: token(' check. It'),
        d: token(' is done.'),
      });
      expectObservable(tokens$.pipe(chunkSentences())).toBe('-----x-------------------(y|)', {
        x: sentence('Sure thing, ', 'Sure thing,', 0),
        y: sentence('let me check. It is done.', 'let me check. It is done.', 1),
      });
    });
  });

  it('sends later chunks at a sentence end once they hold minChars characters', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const tokens$ = cold('a-b-c|', {
        a: token('Okay then.'),
        b: token(' Yes. No.'),
        c: token(' Maybe so, perhaps. Done.'),
      });
      expectObservable(tokens$.pipe(chunkSentences())).toBe('--x-y(z|)', {
        x: sentence('Okay then. ', 'Okay then.', 0),
        y: sentence('Yes. No. Maybe so, perhaps. ', 'Yes. No. Maybe so, perhaps.', 1),
        z: sentence('Done.', 'Done.', 2),
      });
    });
  });

  it('waits for the token that shows a period ends a sentence, and no longer', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = {
        a: token('I will ask Dr.'),
        b: token(' Smith'),
        c: token(' today. Then'),
        d: token(' we go.'),
      };
      expectObservable(cold('a-b-c-d|', values).pipe(chunkSentences())).toBe('----x--(y|)', {
        x: sentence('I will ask Dr. Smith today. ', 'I will ask Dr. Smith today.', 0),
        y: sentence('Then we go.', 'Then we go.', 1),
      });
    });
    testScheduler().run(({ cold, expectObservable }) => {
      const decimal = { a: token('Pi is 3.'), b: token('14 exactly.'), c: token(' Next') };
      expectObservable(cold('a-b-c|', decimal).pipe(chunkSentences())).toBe('----x(y|)', {
        x: sentence('Pi is 3.14 exactly. ', 'Pi is 3.14 exactly.', 0),
        y: sentence('Next', 'Next', 1),
      });
      const sentenceEnd = { a: token('Pi is 3.'), b: token(' Then') };
      expectObservable(cold('a-b|', sentenceEnd).pipe(chunkSentences())).toBe('--x(y|)', {
        x: sentence('Pi is 3. ', 'Pi is 3.', 0),
        y: sentence('Then', 'Then', 1),
      });
    });
  });

  it('holds a chunk until something speakable follows it, so a trailing emoji joins it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: token('Great job!'), b: token(' '), c: token('🎉'), d: token(' Next one.') };
      expectObservable(cold('a-b-c-d|', values).pipe(chunkSentences())).toBe('------x(y|)', {
        x: sentence('Great job! ', 'Great job!', 0),
        y: sentence('🎉 Next one.', 'Next one.', 1),
      });
      expectObservable(cold('a-b-c|', values).pipe(chunkSentences())).toBe('-----(x|)', {
        x: sentence('Great job! 🎉', 'Great job!', 0),
      });
    });
  });

  it('flushes the rest when the tokens complete', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const tokens$ = cold('a-b|', { a: token('Hello there'), b: token(' my friend') });
      expectObservable(tokens$.pipe(chunkSentences())).toBe('---(x|)', {
        x: sentence('Hello there my friend', 'Hello there my friend', 0),
      });
    });
  });

  it('passes an error through at once and drops the unsent rest', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const failure = new Error('llm failed');
      const tokens$ = cold('a-b-#', { a: token('Sure thing,'), b: token(' let me check') }, failure);
      expectObservable(tokens$.pipe(chunkSentences())).toBe(
        '--x-#',
        { x: sentence('Sure thing, ', 'Sure thing,', 0) },
        failure,
      );
    });
  });

  it('sends the rest of a speech when a token of another speechId arrives', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const tokens$ = cold('a-b-c-d|', {
        a: token('Hello there'),
        b: token(' my friend'),
        c: token('Okay.', second),
        d: token(' Yes.', second),
      });
      expectObservable(tokens$.pipe(chunkSentences({ firstChunkMinChars: 8 }))).toBe('----x--(y|)', {
        x: sentence('Hello there my friend', 'Hello there my friend', 0, first),
        y: sentence('Okay. Yes.', 'Okay. Yes.', 0, second),
      });
    });
  });

  it('emits nothing for a speech with nothing to say', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const tokens$ = cold('a-b|', { a: token('🎉'), b: token(' **') });
      expectObservable(tokens$.pipe(chunkSentences())).toBe('---|');
    });
  });
});

describe('chunkSentences: identity', () => {
  it('numbers sentences from 0 within each speech and keeps turnId and speechId', async () => {
    const otherTurn: SpeechRef = { turnId: 'turn-2', speechId: 'speech-3' };
    const tokens = [
      token('First one here. Second sentence is here. Third.', first),
      token('Again, a new speech. And its second sentence.', otherTurn),
    ];
    const sentences = await lastValueFrom(
      from(tokens).pipe(chunkSentences({ firstChunkMinChars: 8 }), toArray()),
    );
    expect(sentences.map(({ turnId, speechId, index }) => [turnId, speechId, index])).toEqual([
      ['turn-1', 'speech-1', 0],
      ['turn-1', 'speech-1', 1],
      ['turn-1', 'speech-1', 2],
      ['turn-2', 'speech-3', 0],
      ['turn-2', 'speech-3', 1],
    ]);
  });

  it('goes on numbering a speech that comes back after another one', async () => {
    const tokens = [token('One, two.', first), token('Other.', second), token('Three, four.', first)];
    const sentences = await lastValueFrom(
      from(tokens).pipe(chunkSentences({ firstChunkMinChars: 8 }), toArray()),
    );
    expect(sentences.map(({ speechId, index, displayText }) => [speechId, index, displayText])).toEqual([
      ['speech-1', 0, 'One, two.'],
      ['speech-2', 0, 'Other.'],
      ['speech-1', 1, 'Three, four.'],
    ]);
  });
});

describe('chunkSentences: no cut inside, whatever the tokens', () => {
  const everyBoundary = { firstChunkMinChars: 0, minChars: 0 };
  it.each([
    ['decimals', 'Pi is 3.14 and 1,000 is more. Next.', ['Pi is 3.14 and 1,000 is more. ', 'Next.']],
    ['abbreviations', 'Ask Dr. Smith at 5 p.m. Today. Yes.', ['Ask Dr. Smith at 5 p.m. Today. ', 'Yes.']],
    [
      'URLs and e-mail addresses',
      'Open https://example.com/v1.2/a?b=c.d or mail jo.doe@example.co.uk. Thanks.',
      ['Open https://example.com/v1.2/a?b=c.d or mail jo.doe@example.co.uk. ', 'Thanks.'],
    ],
    ['ellipses', 'Well... maybe… not. Okay.', ['Well... maybe… not. ', 'Okay.']],
    ['list numbers', 'Steps:\n1. Open it.\n2. Save it.', ['Steps:\n', '1. Open it.\n', '2. Save it.']],
  ])('%s', async (_case, text, expected) => {
    expect(await chunk([text], everyBoundary)).toEqual(expected);
    expect(await chunk(words(text), everyBoundary)).toEqual(expected);
    expect(await chunk(characters(text), everyBoundary)).toEqual(expected);
  });
});

describe('chunkSentences: options', () => {
  it('rejects invalid options when called, with a ConfigError', () => {
    expect(() => chunkSentences({ minChars: -1 })).toThrow(ConfigError);
    expect(() => chunkSentences({ firstChunkMinChars: Number.NaN })).toThrow(/firstChunkMinChars/);
  });

  it('uses firstChunkMinChars and minChars', async () => {
    const text = 'Hi, you. Yes. No. Maybe so.';
    expect(await chunk(words(text))).toEqual(['Hi, you. ', 'Yes. No. Maybe so.']);
    expect(await chunk(words(text), { firstChunkMinChars: 3, minChars: 4 })).toEqual([
      'Hi, ',
      'you. ',
      'Yes. ',
      'No. Maybe so.',
    ]);
  });
});
