import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/families';
import { DEFAULT_ABBREVIATIONS } from './sentence-boundary';
import type { SentenceChunkingOptions } from './sentence-chunking-options';
import { splitSentences } from './split-sentences';

const displayTexts = (text: string, options?: SentenceChunkingOptions) =>
  splitSentences(text, options).map((chunk) => chunk.displayText);

// With no minimum length every boundary the rules accept becomes a cut, so these show the rules alone.
const everyBoundary = { firstChunkMinChars: 0, minChars: 0 };

describe('splitSentences: where chunks end', () => {
  it('ends the first chunk at the first clause boundary once it has firstChunkMinChars characters', () => {
    expect(displayTexts('Sure thing, let me look that up for you. It will take a moment.')).toEqual([
      'Sure thing, ',
      'let me look that up for you. ',
      'It will take a moment.',
    ]);
  });

  it('goes on past boundaries while the first chunk is shorter than firstChunkMinChars', () => {
    expect(displayTexts('Hi, there. How are you doing today, my friend? Fine.')).toEqual([
      'Hi, there. ',
      'How are you doing today, my friend? ',
      'Fine.',
    ]);
    expect(displayTexts('Hi, there. How are you?', { firstChunkMinChars: 3 })).toEqual([
      'Hi, ',
      'there. How are you?',
    ]);
  });

  it('ends later chunks only at sentence ends, once they have minChars characters', () => {
    expect(displayTexts('Okay then. Yes. No. Maybe so, perhaps. Done.')).toEqual([
      'Okay then. ',
      'Yes. No. Maybe so, perhaps. ',
      'Done.',
    ]);
    expect(displayTexts('Okay then. Yes. No. Maybe so, perhaps. Done.', { minChars: 0 })).toEqual([
      'Okay then. ',
      'Yes. ',
      'No. ',
      'Maybe so, perhaps. ',
      'Done.',
    ]);
  });

  it('counts the characters that will be spoken, not markup or emoji', () => {
    // "**Yes**! 🎉🎉🎉 " is 15 characters written but "Yes!" spoken: below a first chunk of 8.
    expect(
      splitSentences('**Yes**! 🎉🎉🎉 That works.', { firstChunkMinChars: 8 }).map((c) => c.displayText),
    ).toEqual(['**Yes**! 🎉🎉🎉 That works.']);
  });

  it('treats clause marks , ; : — followed by whitespace as first-chunk boundaries', () => {
    for (const mark of [',', ';', ':', ' —']) {
      expect(displayTexts(`First part${mark} second part. Third.`)).toEqual([
        `First part${mark} `,
        'second part. Third.',
      ]);
    }
  });

  it('ends a sentence at . ? ! … and runs of them, past closing quotes and markup', () => {
    expect(displayTexts('Really?! Yes!!! Okay… Sure. Fine', everyBoundary)).toEqual([
      'Really?! ',
      'Yes!!! ',
      'Okay… ',
      'Sure. ',
      'Fine',
    ]);
    expect(displayTexts('He said "Stop!" Then he left. **Done.** Next step.', everyBoundary)).toEqual([
      'He said "Stop!" ',
      'Then he left. ',
      '**Done.** ',
      'Next step.',
    ]);
  });

  it('ends a chunk at a line break', () => {
    expect(displayTexts('Here are the steps:\n1. Open the app\n\n2. Click save\n', everyBoundary)).toEqual([
      'Here are the steps:\n',
      '1. Open the app\n\n',
      '2. Click save\n',
    ]);
  });

  it('keeps the whitespace after a sentence with that sentence', () => {
    expect(displayTexts('One here.   Two here.\tThree.', everyBoundary)).toEqual([
      'One here.   ',
      'Two here.\t',
      'Three.',
    ]);
  });
});

describe('splitSentences: where chunks never end', () => {
  it.each([
    ['decimals', 'Pi is 3.14 and e is 2.71. Next.', ['Pi is 3.14 and e is 2.71. ', 'Next.']],
    ['thousands separators', 'We sold 1,000,000 units. Great.', ['We sold 1,000,000 units. ', 'Great.']],
    ['times', 'Meet at 10:30 sharp. Okay.', ['Meet at 10:30 sharp. ', 'Okay.']],
    [
      'URLs',
      'See https://example.com/docs/v1.2/index.html?q=a.b&x=1!2;y=3, then Go. Yes.',
      ['See https://example.com/docs/v1.2/index.html?q=a.b&x=1!2;y=3, ', 'then Go. ', 'Yes.'],
    ],
    [
      'a URL ending the sentence',
      'Go to www.example.com. Then sign in.',
      ['Go to www.example.com. ', 'Then sign in.'],
    ],
    [
      'e-mail addresses',
      'Write to jane.doe@mail.example.co.uk. Thanks.',
      ['Write to jane.doe@mail.example.co.uk. ', 'Thanks.'],
    ],
    ['an ellipsis before a lowercase word', 'Well... maybe not. Fine.', ['Well... maybe not. ', 'Fine.']],
    ['a Unicode ellipsis before a lowercase word', 'Wait… then what? Okay.', ['Wait… then what? ', 'Okay.']],
    ['a period before a lowercase word', 'It is approx. ten. Yes.', ['It is approx. ten. ', 'Yes.']],
    ['initials', 'J. R. R. Tolkien wrote it. Yes.', ['J. R. R. Tolkien wrote it. ', 'Yes.']],
    ['a numbered list item at the start', '1. Open the app. Good.', ['1. Open the app. ', 'Good.']],
    ['a numbered list item after a sentence', 'Open it. 2. Save it.', ['Open it. ', '2. Save it.']],
    ['a numbered list item after a colon', 'Steps: 1. Open it.', ['Steps: ', '1. Open it.']],
  ])('%s', (_case, text, chunks) => {
    expect(displayTexts(text, everyBoundary)).toEqual(chunks);
  });

  it('still ends a sentence at a number that is not a list item', () => {
    expect(displayTexts('I counted to 3. Then I stopped.', everyBoundary)).toEqual([
      'I counted to 3. ',
      'Then I stopped.',
    ]);
  });

  it('still ends a sentence at an ellipsis before a capitalized word', () => {
    expect(displayTexts('Well... Maybe not.', everyBoundary)).toEqual(['Well... ', 'Maybe not.']);
  });

  it.each(DEFAULT_ABBREVIATIONS)('does not end a sentence at the default abbreviation %s', (abbreviation) => {
    expect(displayTexts(`Ask ${abbreviation} Smith now. Bye.`, everyBoundary)).toEqual([
      `Ask ${abbreviation} Smith now. `,
      'Bye.',
    ]);
  });

  it('matches abbreviations whatever their case, as whole words only', () => {
    expect(displayTexts('Ask DR. Smith now. Bye.', everyBoundary)).toEqual(['Ask DR. Smith now. ', 'Bye.']);
    expect(displayTexts('It came first. Stan agrees.', everyBoundary)).toEqual([
      'It came first. ',
      'Stan agrees.',
    ]);
  });

  it('takes its abbreviations from the options, replacing the defaults', () => {
    const text = 'Acme Inc. Makes rockets. Ask Dr. Who.';
    expect(displayTexts(text, everyBoundary)).toEqual(['Acme Inc. ', 'Makes rockets. ', 'Ask Dr. Who.']);
    expect(
      displayTexts(text, { ...everyBoundary, abbreviations: [...DEFAULT_ABBREVIATIONS, 'Inc.'] }),
    ).toEqual(['Acme Inc. Makes rockets. ', 'Ask Dr. Who.']);
    expect(displayTexts(text, { ...everyBoundary, abbreviations: ['inc'] })).toEqual([
      'Acme Inc. Makes rockets. ',
      'Ask Dr. ',
      'Who.',
    ]);
  });
});

describe('splitSentences: text for speech', () => {
  it('cleans each chunk for speech and keeps the written text beside it', () => {
    const text = '## All done! 🎉 Read **the [guide](https://x.dev/guide)** first. Then `npm test`.';
    expect(splitSentences(text)).toEqual([
      { text: 'All done!', displayText: '## All done! ' },
      { text: 'Read the guide first.', displayText: '🎉 Read **the [guide](https://x.dev/guide)** first. ' },
      { text: 'Then npm test.', displayText: 'Then `npm test`.' },
    ]);
  });

  it('joins text with nothing to say to the chunk before it at the end', () => {
    expect(splitSentences('Hello there. 🎉🎉 **')).toEqual([
      { text: 'Hello there.', displayText: 'Hello there. 🎉🎉 **' },
    ]);
  });

  it('never makes a chunk of text with nothing to say', () => {
    expect(splitSentences('🎉. 👍. Hello there.', everyBoundary)).toEqual([
      { text: 'Hello there.', displayText: '🎉. 👍. Hello there.' },
    ]);
  });

  it.each(['', '   \n', '🎉👍', '** `` ---', '\n- \n'])('returns nothing for %j', (text) => {
    expect(splitSentences(text)).toEqual([]);
  });
});

describe('splitSentences: options', () => {
  it.each([
    [{ minChars: -1 }, 'minChars'],
    [{ firstChunkMinChars: 2.5 }, 'firstChunkMinChars'],
    [{ abbreviations: ['Dr.', ' '] }, 'abbreviations'],
  ])('rejects %j with a ConfigError naming the field', (options, field) => {
    expect(() => splitSentences('Hello.', options)).toThrow(ConfigError);
    expect(() => splitSentences('Hello.', options)).toThrow(field);
  });
});
