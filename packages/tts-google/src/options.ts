import { googleConnectionSchema } from '@voxduplex/google-common';
import { z } from 'zod';

/** Validated options of {@link GoogleTts}; see the README for defaults. */
export const googleTtsOptionsSchema = googleConnectionSchema.extend({
  /** Voice name, e.g. `en-US-Chirp3-HD-Charon` (streams) or `en-US-Neural2-F` (unary). Default `en-US-Chirp3-HD-Charon`. */
  voice: z.string().min(1).optional(),
  /** BCP-47 language of the voice. Default: the voice name's first two parts, e.g. `en-US`. */
  language: z.string().min(2).optional(),
  /** Output sample rate, Hz (PCM, mono, Int16). Default 24000. */
  sampleRate: z.number().int().min(8000).max(48_000).optional(),
  /** Speaking-rate multiplier, 0.25..2. Default 1. */
  speakingRate: z.number().min(0.25).max(2).optional(),
  /**
   * `auto` (default): `StreamingSynthesize` for voices that stream (Chirp 3 HD, Chirp HD, Journey), unary
   * `SynthesizeSpeech` for the rest, and unary again for a voice the service refuses to stream.
   */
  streaming: z.enum(['auto', 'always', 'never']).optional(),
  /** Deadline of one unary request, ms. Default 30 000. */
  requestTimeoutMs: z.number().int().min(100).optional(),
});

/** Options of the Google Text-to-Speech adapter (all optional). */
export type GoogleTtsOptions = z.input<typeof googleTtsOptionsSchema>;
