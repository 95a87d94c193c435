import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanForSpeech, isSpeakable } from './clean-for-speech';

describe('cleanForSpeech', () => {
  it.each([
    ['**bold** and __strong__', 'bold and strong'],
    ['*emphasis* and _emphasis_', 'emphasis and emphasis'],
    ['***both*** and ~~struck~~', 'both and struck'],
    ['# Heading\n## Sub heading\nText', 'Heading Sub heading Text'],
    ['Run `npm test` now', 'Run npm test now'],
    ['```ts\nconst x = 1;\n```', 'const x = 1;'],
    ['~~~\nplain\n~~~', 'plain'],
    ['See [the guide](https://example.com/guide).', 'See the guide.'],
    ['![a cat](https://example.com/cat.png) sleeps', 'a cat sleeps'],
    ['Open <https://example.com> now', 'Open https://example.com now'],
    ['- first\n- second\n* third\n+ fourth', 'first second third fourth'],
    ['> quoted text', 'quoted text'],
    ['| Name | Age |\n|------|:---:|\n| Ann | 30 |', 'Name Age Ann 30'],
    ['Before\n\n---\n\nAfter', 'Before After'],
  ])('removes markdown: %j', (input, spoken) => {
    expect(cleanForSpeech(input)).toBe(spoken);
  });

  it.each([
    ['Great job! 🎉', 'Great job!'],
    ['Family 👨‍👩‍👧‍👦 trip', 'Family trip'],
    ['Thumbs 👍🏽 up', 'Thumbs up'],
    ['Flags 🇺🇸🇫🇷 and 🏴󠁧󠁢󠁳󠁣󠁴󠁿 too', 'Flags and too'],
    ['Heart ❤️ and star ⭐', 'Heart and star'],
    ['Press 1️⃣ now', 'Press 1 now'],
    ['Done ✅.', 'Done.'],
  ])('removes emoji and pictographs: %j', (input, spoken) => {
    expect(cleanForSpeech(input)).toBe(spoken);
  });

  it('keeps what is not markup: URLs, e-mail addresses, snake_case, arithmetic, numbers', () => {
    expect(cleanForSpeech('Mail jane.doe@example.com or see https://example.com/a_b?x=1.')).toBe(
      'Mail jane.doe@example.com or see https://example.com/a_b?x=1.',
    );
    expect(cleanForSpeech('Set max_tokens to 2*3, about 3.14 or 1,000 - roughly.')).toBe(
      'Set max_tokens to 2*3, about 3.14 or 1,000 - roughly.',
    );
  });

  it('removes markup cut in half at a chunk boundary', () => {
    expect(cleanForSpeech('**This is bold. ')).toBe('This is bold.');
    expect(cleanForSpeech('And more.** Next')).toBe('And more. Next');
    expect(cleanForSpeech('[a link that spans. ')).toBe('a link that spans.');
    expect(cleanForSpeech('Two sentences](https://example.com) here')).toBe('Two sentences here');
    expect(cleanForSpeech('See [docs](https://exa')).toBe('See docs');
  });

  it('collapses whitespace and trims', () => {
    expect(cleanForSpeech('  one \n\n two\tthree  ')).toBe('one two three');
    expect(cleanForSpeech('Wow 🎉 !')).toBe('Wow!');
  });

  it('leaves nothing of text that is only markup or emoji', () => {
    expect(cleanForSpeech('** 🎉 ` ---')).toBe('');
    expect(isSpeakable(cleanForSpeech('🎉🎉 **'))).toBe(false);
    expect(isSpeakable(cleanForSpeech('🎉 ok'))).toBe(true);
  });

  const markdownish = fc
    .array(
      fc.constantFrom(
        'word',
        'Word',
        '3.14',
        '**',
        '*',
        '_',
        '__',
        '`',
        '```js',
        '# ',
        '- ',
        '> ',
        '|',
        '---',
        '[',
        '](https://x.dev/a)',
        '(',
        ')',
        '🎉',
        '👍🏽',
        '🇺🇸',
        '\u200D',
        '\uFE0F',
        '.',
        '!',
        ' ',
        '\n',
      ),
      { maxLength: 25 },
    )
    .map((parts) => parts.join(''));

  it('output has no emoji, no doubled or edge whitespace', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const spoken = cleanForSpeech(text);
        expect(spoken).not.toMatch(/\p{Extended_Pictographic}|\p{Regional_Indicator}|\u200D|\uFE0F/u);
        expect(spoken).not.toMatch(/\s\s|^\s|\s$|[\n\t`|[\]]/);
      }),
    );
  });

  it('cleaning twice changes nothing', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const once = cleanForSpeech(text);
        expect(cleanForSpeech(once)).toBe(once);
      }),
    );
  });

  it('text whose beginning has something to say keeps something to say however it goes on', () => {
    // The chunker lets a chunk go once the text after it is speakable; this must stay true.
    fc.assert(
      fc.property(markdownish, fc.nat(), (text, at) => {
        const prefix = text.slice(0, at % (text.length + 1));
        if (isSpeakable(cleanForSpeech(prefix))) expect(isSpeakable(cleanForSpeech(text))).toBe(true);
      }),
    );
  });
});
