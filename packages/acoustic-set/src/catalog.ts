import type { VoiceId } from './synthesize';

/** The intents of `@voxduplex/demo-brain` a question is labelled with. */
export type ExpectedIntent = 'greeting' | 'time' | 'weather' | 'story' | 'stop';

/** What a clip is, for a barge-in or recognition scenario. */
export type ClipKind = 'question' | 'backchannel' | 'interruption' | 'stop';

/** The background a clip is mixed with. */
export type NoiseKind = 'clean' | 'pink' | 'babble' | 'hum';

/** One thing a user says, before voices and noise are applied. */
export interface Utterance {
  readonly kind: ClipKind;
  /** What the user means, as a transcript would write it ("mhm"). */
  readonly text: string;
  /**
   * What the synthesizer is given, when it needs another spelling to say it ("uh huh"), or
   * espeak-ng phonemes in `[[…]]` for sounds that are not words.
   */
  readonly spoken?: string;
  /** Who says it, when not the voices of its kind (a sound only some engines can make). */
  readonly voices?: readonly VoiceId[];
  /** The demo brain's answer to it (absent for backchannels: they must not be answered). */
  readonly intent?: ExpectedIntent;
}

/** Users: Flite voices other than the agent's `slt` (PocketSphinx hears Flite well). */
export const USER_VOICES: readonly VoiceId[] = ['flite:rms', 'flite:awb', 'flite:kal16'];

/** Backchannels are short and varied: the Flite users plus two espeak-ng talkers. */
export const BACKCHANNEL_VOICES: readonly VoiceId[] = [...USER_VOICES, 'espeak:en-us+f3', 'espeak:en-gb+m3'];

/**
 * Hummers of "mhm": espeak-ng talkers, given phonemes. Flite reads any spelling of it ("mhm",
 * "mm hmm") as letters — "em em aitch em em", over a second long — which no one says; a real
 * "mhm" is two closed-mouth hums, about half a second.
 */
export const HUM_VOICES: readonly VoiceId[] = [
  'espeak:en-us+f3',
  'espeak:en-gb+m3',
  'espeak:en-us+m1',
  'espeak:en+f4',
  'espeak:en-gb-scotland+m4',
];

/** The café around the user: espeak-ng talkers (the recognizer should not understand them). */
export const BABBLE_VOICES: readonly VoiceId[] = [
  'espeak:en-us+f2',
  'espeak:en-gb+m1',
  'espeak:en-gb-scotland+f4',
  'espeak:en-us+m7',
  'espeak:en-029+f1',
];

/** What the babble talkers say: no word the demo brain listens for. */
export const BABBLE_TEXT =
  'So I said to him that the car was parked on the other side of the street, and he just ' +
  'laughed and kept walking. Anyway the meeting went on for two more hours and nobody could ' +
  'agree on the budget, which was silly because the numbers were all there on the screen. ' +
  'Then we went to lunch at that little place near the station where they make the soup.';

/** Six questions per intent, as a user of the demo would ask them. */
export const QUESTIONS: readonly Utterance[] = [
  ...[
    'hello there',
    'hi how are you',
    'good morning',
    'hey how are you doing',
    'hello how are you today',
    'good evening',
  ].map((text) => ({ kind: 'question' as const, text, intent: 'greeting' as const })),
  ...[
    'what time is it',
    'what is the time',
    'can you tell me the time',
    'what time is it now please',
    'do you know what time it is',
    'how late is it',
  ].map((text) => ({ kind: 'question' as const, text, intent: 'time' as const })),
  ...[
    'what is the weather like today',
    'will it rain tomorrow',
    'what is the forecast',
    'is it going to be sunny',
    'how is the weather outside',
    'do i need an umbrella today',
  ].map((text) => ({ kind: 'question' as const, text, intent: 'weather' as const })),
  ...[
    'tell me a story',
    'please tell me a story about a dragon',
    'can you tell me a bedtime story',
    'i would like to hear a story',
    'do you know any good stories',
    'tell me a fairy tale',
  ].map((text) => ({ kind: 'question' as const, text, intent: 'story' as const })),
];

/** Short acknowledgements that must never interrupt the agent. */
export const BACKCHANNELS: readonly Utterance[] = [
  { kind: 'backchannel', text: 'mhm', spoken: "[[m'hm]]", voices: HUM_VOICES },
  { kind: 'backchannel', text: 'uh-huh', spoken: 'uh huh' },
  { kind: 'backchannel', text: 'yeah' },
  { kind: 'backchannel', text: 'right' },
  { kind: 'backchannel', text: 'okay' },
];

/** Real interruptions: the user wants something else now. */
export const INTERRUPTIONS: readonly Utterance[] = [
  { kind: 'interruption', text: 'wait what about the weather', intent: 'weather' },
  { kind: 'interruption', text: 'actually what time is it', intent: 'time' },
  { kind: 'interruption', text: 'sorry can you tell me a story instead', intent: 'story' },
  { kind: 'interruption', text: 'what about tomorrow will it rain', intent: 'weather' },
  { kind: 'interruption', text: 'no tell me the time please', intent: 'time' },
];

/** Bare stop phrases: the agent must fall quiet and not answer them. */
export const STOP_PHRASES: readonly Utterance[] = [
  'stop',
  'wait',
  'hold on',
  'never mind',
  'be quiet',
  'stop please stop',
  'never mind stop talking',
].map((text) => ({ kind: 'stop' as const, text, intent: 'stop' as const }));

/** One background condition of the question clips. */
export interface NoiseCondition {
  readonly noise: NoiseKind;
  /** Speech active level over noise level, dB (`Infinity` for clean). */
  readonly snrDb: number;
}

/** Clean, then pink noise, babble and 50 Hz hum at 20, 10 and 5 dB SNR each. */
export const NOISE_CONDITIONS: readonly NoiseCondition[] = [
  { noise: 'clean', snrDb: Number.POSITIVE_INFINITY },
  ...(['pink', 'babble', 'hum'] as const).flatMap((noise) => [20, 10, 5].map((snrDb) => ({ noise, snrDb }))),
];
