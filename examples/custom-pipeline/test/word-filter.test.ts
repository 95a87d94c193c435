import { wordsOf } from '@voxduplex/core';
import { virtualConversation } from '@voxduplex/core/testing';
import { describe, expect, it } from 'vitest';
import { filterWords } from '../src/recipes/word-filter';

const question = { text: 'how is the coffee', startMs: 500 };
const sentences = filterWords({ words: ['darn', 'heck'] });

describe('recipe 1a: a word filter as the sentences stage', () => {
  it('speaks a bleep, shows and stores asterisks', async () => {
    const c = virtualConversation({
      utterances: [question],
      llm: { reply: 'Darn good, if I say so. What the heck, try it.' },
      config: { pipeline: { sentences } },
    });
    await c.runAsync();
    // The chunker cuts the first clause short, to start speaking sooner.
    expect(c.tts.texts).toEqual(['bleep good,', 'if I say so. What the bleep, try it.']);
    expect(c.ofType('agent-text').map((e) => e.text.trim())).toEqual([
      '**** good,',
      'if I say so. What the ****, try it.',
    ]);
    expect(c.assistantTexts()).toEqual(['**** good, if I say so. What the ****, try it.']);
  });

  it('leaves words that only contain a listed word alone', async () => {
    const c = virtualConversation({
      utterances: [question],
      llm: { reply: 'It is darned good.' },
      config: { pipeline: { sentences } },
    });
    await c.runAsync();
    expect(c.tts.texts).toEqual(['It is darned good.']);
  });

  it('keeps only the heard, filtered part of an interrupted reply', async () => {
    const story =
      'Darn, what a morning. The grinder broke twice and the milk ran out. Then the heck of a queue formed outside.';
    const c = virtualConversation({
      utterances: [question, { text: 'stop please', startMs: 6000 }],
      llm: { reply: (_, call) => (call === 0 ? story : 'OK.') },
      config: { pipeline: { sentences } },
    });
    await c.runAsync();
    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    expect(cut.heardText).toMatch(/^\*\*\*\*, what a morning\. The/);
    const shownStory = story.replace('Darn', '****').replace('heck', '****');
    expect(shownStory.startsWith(cut.heardText)).toBe(true);
    expect(wordsOf(cut.heardText).length).toBeLessThan(wordsOf(story).length);
    expect(c.session.history[2]).toEqual({ role: 'assistant', content: cut.heardText, interrupted: true });
    expect(c.tts.texts.join(' ')).not.toMatch(/darn|heck/i);
  });
});
