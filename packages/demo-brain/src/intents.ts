import { DEFAULT_STOP_PHRASES, isStopPhrase } from '@voxduplex/core';
import { isOneEditApart, recognizedWords } from './recognized-words';

/** What the demo brain can answer. `fallback` says what it can do. */
export type DemoIntent = 'greeting' | 'time' | 'weather' | 'story' | 'stop' | 'fallback';

interface IntentCues {
  readonly intent: Exclude<DemoIntent, 'fallback'>;
  /** Words that name the intent; a word one letter away counts too (if it has 5+ letters). */
  readonly keywords: readonly string[];
  /** Word pairs that name it together (`once upon`), with what they add to the score. */
  readonly phrases: readonly (readonly [string, string, number])[];
  /**
   * What PocketSphinx may hear instead of the keywords (some measured here on Flite voices, e.g.
   * "what's the time" → "what should die in", "hello there" → "whoa there"):
   * they count half, so a clear keyword of another intent wins over them.
   */
  readonly mishearings: readonly string[];
}

/** In order of precedence when two intents score the same. */
const CUES: readonly IntentCues[] = [
  {
    intent: 'story',
    keywords: ['story', 'stories', 'tale', 'tales', 'fairytale', 'bedtime'],
    phrases: [
      ['once', 'upon', 3],
      ['fairy', 'tale', 2],
      // Weak: "tell me the time" is not a story request, "tell me a storey" is.
      ['tell', 'me', 1],
    ],
    mishearings: ['storey', 'storeys', 'starry', 'store', 'history', 'glory', 'tail', 'tails'],
  },
  {
    intent: 'weather',
    keywords: [
      'weather',
      'forecast',
      'rain',
      'raining',
      'sunny',
      'temperature',
      'snow',
      'snowing',
      'umbrella',
      'windy',
      'cloudy',
      'degrees',
    ],
    phrases: [
      ['how', 'hot', 2],
      ['how', 'cold', 2],
    ],
    mishearings: ['whether', 'wetter', 'feather', 'leather', 'heather', 'forecasts', 'reign'],
  },
  {
    intent: 'time',
    keywords: ['time', 'clock', 'oclock', 'hour', 'hours', 'minutes'],
    phrases: [
      ['what', 'time', 1],
      ['how', 'late', 2],
    ],
    mishearings: ['die', 'tie', 'times', 'dime', 'thyme', 'tyme', 'tine', 'ours'],
  },
  {
    intent: 'greeting',
    keywords: ['hello', 'hi', 'hey', 'hiya', 'howdy', 'greetings', 'morning', 'afternoon', 'evening'],
    phrases: [
      ['how', 'are', 2],
      ['good', 'day', 2],
    ],
    mishearings: ['whoa', 'hallo', 'hullo', 'hollow', 'yellow', 'fellow', 'high', 'hay', 'halo'],
  },
];

/** The intent found in a transcript and how strongly (0 for the fallback). */
export interface IntentMatch {
  readonly intent: DemoIntent;
  readonly score: number;
}

function scoreOf(cues: IntentCues, words: readonly string[]): number {
  let score = 0;
  for (const word of words) {
    if (cues.keywords.includes(word)) score += 2;
    else if (cues.mishearings.includes(word)) score += 1;
    else if (word.length >= 5 && cues.keywords.some((k) => k.length >= 5 && isOneEditApart(k, word)))
      score += 1;
  }
  for (let i = 0; i + 1 < words.length; i++)
    for (const [first, second, weight] of cues.phrases)
      if (words[i] === first && words[i + 1] === second) score += weight;
  return score;
}

/**
 * Finds what a (possibly misrecognized) user utterance asks for by keyword matching: exact
 * keywords count 2, known mishearings and one-letter slips 1, word pairs their own weight. The highest
 * score wins; ties go to story, weather, time, greeting in that order; no cue at all is `fallback`.
 *
 * @example
 * ```ts
 * detectIntent('what tie miss it'); // { intent: 'time', score: 1 }: 'tie' is a known mishearing
 * ```
 */
export function detectIntent(utterance: string): IntentMatch {
  // "Stop", "never mind", "hold on please": the user wants quiet, not an answer to their words.
  if (isStopPhrase(utterance, DEFAULT_STOP_PHRASES)) return { intent: 'stop', score: 1 };
  const words = recognizedWords(utterance);
  let best: IntentMatch = { intent: 'fallback', score: 0 };
  for (const cues of CUES) {
    const score = scoreOf(cues, words);
    if (score > best.score) best = { intent: cues.intent, score };
  }
  return best;
}
