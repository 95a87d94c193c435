import { defineTool } from '@voxduplex/core';
import { z } from 'zod';
import type { FaqEntry } from './recipes/faq-agent';
import type { ToyDictionary } from './recipes/toy-spanish';

/** The agent's instructions (read by the LLM when the FAQ hands it a question). */
export const CAFE_INSTRUCTIONS = 'You are the voice of a small café. Answer briefly.';

/**
 * What the café's FAQ agent knows. Patterns are loose on purpose: the offline recognizer
 * slips ("what are you opening hours"), so one telling word is enough.
 */
export const CAFE_FAQ: readonly FaqEntry[] = [
  {
    pattern: /\b(open|opening|hours|close)\b/,
    answer: 'We are open from eight to six every day. Our coffee is bloody good, by the way.',
  },
  {
    pattern: /\b(tea|coffee|cake|milk|toast)\b/,
    answer: ({ userText }) => `Coming right up: ${userText.replace(/^.*?\b(like|want|have)\b\s*/, '')}.`,
  },
  {
    pattern: /\b(table|tables|seat|seats)\b/,
    tool: 'free_tables',
    answer: ({ toolResult }) => `There are ${toolResult} tables free right now.`,
  },
];

/** Words the café's agent must not say. */
export const CAFE_FILTERED_WORDS = ['bloody', 'damn'];

/** A session tool the FAQ agent calls: how many tables are free (a fixed number here). */
export const freeTables = defineTool({
  name: 'free_tables',
  description: 'How many tables in the café are free right now',
  parameters: z.object({}),
  execute: async () => 3,
});

/** The café's answers, English → Spanish, for `--spanish`. A toy, not a translator. */
export const CAFE_SPANISH: ToyDictionary = {
  sentences: {
    'we are open from eight to six every day': 'Abrimos todos los días de ocho a seis',
    'our coffee is bloody good, by the way': 'Nuestro café es buenísimo, por cierto',
    'let me check': 'Déjame mirar',
    'coming right up': 'Marchando',
  },
  words: {
    a: 'un',
    and: 'y',
    are: '',
    cake: 'pastel',
    coffee: 'café',
    coming: 'marchando',
    free: 'libres',
    good: 'bueno',
    hot: 'caliente',
    is: 'es',
    milk: 'leche',
    now: 'ahora',
    of: 'de',
    one: 'uno',
    our: 'nuestro',
    right: '',
    slice: 'trozo',
    tables: 'mesas',
    tea: 'té',
    the: 'el',
    there: 'hay',
    toast: 'tostada',
    up: '',
    very: 'muy',
  },
};
