import { virtualConversation } from '@voxduplex/core/testing';
import { describe, expect, it } from 'vitest';
import { CAFE_SPANISH } from '../src/cafe';
import { translateSentences } from '../src/recipes/toy-spanish';

const question = { text: 'when are you open', startMs: 500 };
const sentences = translateSentences(CAFE_SPANISH);

describe('recipe 1b: a toy translation as the sentences stage', () => {
  it('speaks, shows and stores the Spanish reply', async () => {
    const c = virtualConversation({
      utterances: [question],
      llm: { reply: 'We are open from eight to six every day. Our coffee is very good.' },
      config: { pipeline: { sentences } },
    });
    await c.runAsync();
    const spanish = ['Abrimos todos los días de ocho a seis.', 'Nuestro café es muy bueno.'];
    expect(c.tts.texts).toEqual(spanish);
    expect(c.ofType('agent-text').map((e) => e.text.trim())).toEqual(spanish);
    expect(c.assistantTexts()).toEqual([spanish.join(' ')]);
    expect(c.ofType('speech-end')[0]).toMatchObject({ interrupted: false, heardText: spanish.join(' ') });
  });

  it('keeps only the heard part of an interrupted translated reply', async () => {
    const long = 'Coming right up. One tea and a slice of cake. The tea is hot. Our coffee is very good.';
    const c = virtualConversation({
      utterances: [question, { text: 'no wait what about tea', startMs: 4000 }],
      llm: { reply: (_, call) => (call === 0 ? long : 'Let me check.') },
      config: { pipeline: { sentences } },
    });
    await c.runAsync();
    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    expect(cut.heardText).toMatch(/^Marchando\. Uno té/);
    const spanish = 'Marchando. Uno té y un trozo de pastel. El té es caliente. Nuestro café es muy bueno.';
    expect(spanish.startsWith(cut.heardText)).toBe(true);
    expect(cut.heardText.length).toBeLessThan(spanish.length);
    expect(c.session.history[2]).toEqual({ role: 'assistant', content: cut.heardText, interrupted: true });
    expect(c.assistantTexts().at(-1)).toBe('Déjame mirar.');
  });
});
