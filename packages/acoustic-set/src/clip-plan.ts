import {
  BACKCHANNEL_VOICES,
  BACKCHANNELS,
  type ClipKind,
  type ExpectedIntent,
  INTERRUPTIONS,
  NOISE_CONDITIONS,
  type NoiseKind,
  QUESTIONS,
  STOP_PHRASES,
  USER_VOICES,
  type Utterance,
} from './catalog';
import type { VoiceId } from './synthesize';

/** One clip to make: an utterance, a voice, a background. */
export interface ClipPlan {
  /** Stable and path-safe, e.g. `question/what-time-is-it/awb/pink-10`. */
  readonly id: string;
  readonly kind: ClipKind;
  readonly text: string;
  readonly spoken: string;
  readonly intent?: ExpectedIntent;
  readonly voice: VoiceId;
  readonly noise: NoiseKind;
  /** `Infinity` for clean clips (written as `null` in the manifest). */
  readonly snrDb: number;
  /** The clean clip this one was mixed from (its own id when clean). */
  readonly cleanId: string;
}

const slug = (text: string) =>
  text
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
const voiceSlug = (voice: VoiceId) => slug(voice.replace(/^flite:/, '').replace(/^espeak:/, 'espeak-'));

function plan(utterance: Utterance, voice: VoiceId, noise: NoiseKind, snrDb: number): ClipPlan {
  const base = `${utterance.kind}/${slug(utterance.text)}/${voiceSlug(voice)}`;
  return {
    id: noise === 'clean' ? `${base}/clean` : `${base}/${noise}-${snrDb}`,
    kind: utterance.kind,
    text: utterance.text,
    spoken: utterance.spoken ?? utterance.text,
    ...(utterance.intent ? { intent: utterance.intent } : {}),
    voice,
    noise,
    snrDb,
    cleanId: `${base}/clean`,
  };
}

/**
 * Every clip of the set: each question in one user voice (rotating over {@link USER_VOICES}) under
 * every {@link NOISE_CONDITIONS}; backchannels in every {@link BACKCHANNEL_VOICES} (or their own); interruptions
 * and stop phrases in every user voice; those three clean (barge-in scenarios mix them with the
 * agent's own audio).
 */
export function planClips(): ClipPlan[] {
  const clips: ClipPlan[] = [];
  QUESTIONS.forEach((question, index) => {
    const voice = USER_VOICES[index % USER_VOICES.length]!;
    for (const { noise, snrDb } of NOISE_CONDITIONS) clips.push(plan(question, voice, noise, snrDb));
  });
  for (const utterance of BACKCHANNELS)
    for (const voice of utterance.voices ?? BACKCHANNEL_VOICES)
      clips.push(plan(utterance, voice, 'clean', Number.POSITIVE_INFINITY));
  for (const utterance of [...INTERRUPTIONS, ...STOP_PHRASES])
    for (const voice of USER_VOICES) clips.push(plan(utterance, voice, 'clean', Number.POSITIVE_INFINITY));
  return clips;
}
