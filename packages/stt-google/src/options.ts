import type { RetryPolicy } from '@voxduplex/core';
import { googleConnectionSchema } from '@voxduplex/google-common';
import { z } from 'zod';

/** Largest `audioContent` the service accepts in one request, bytes. */
export const MAX_REQUEST_BYTES = 25_600;

/** Validated options of {@link GoogleStt}; see the README for defaults. */
export const googleSttOptionsSchema = googleConnectionSchema.extend({
  /** BCP-47 language, default `en-US`. */
  language: z.string().min(2).optional(),
  /** Recognition model, e.g. `latest_long`, `telephony`; the service's default when absent. */
  model: z.string().min(1).optional(),
  /** Sample rate of the audio frames, Hz. Default 16000. */
  sampleRate: z.number().int().min(8000).max(48_000).optional(),
  /** Emit interim transcripts. Default true. */
  interimResults: z.boolean().optional(),
  /** Emit speech-start / speech-end from the service's voice activity events. Default true. */
  voiceActivityEvents: z.boolean().optional(),
  /** Words and phrases the recognizer should favour. */
  phraseHints: z.array(z.string().min(1)).max(5000).optional(),
  /** Boost for `phraseHints` (0..20). */
  phraseBoost: z.number().min(0).max(20).optional(),
  /** Automatic punctuation. Default true. */
  punctuation: z.boolean().optional(),
  /** Audio per request, ms. Default 100; at most 25 600 bytes per request. */
  chunkMs: z.number().int().min(10).max(800).optional(),
  /** Start a new stream after this much audio on one stream, ms. Default 240 000 (the service stops at 305 s). */
  rotateAfterMs: z.number().int().min(1000).max(290_000).optional(),
  /** Rotate at the first final result once a stream is this close to `rotateAfterMs`, ms. Default 60 000. */
  rotateWindowMs: z.number().int().min(0).optional(),
  /** End the stream after this long without audio (wall clock) and reopen on the next frame, ms. Default 5000. */
  idleTimeoutMs: z.number().int().min(100).max(9000).optional(),
  /**
   * Most already-sent audio re-sent into one new stream (the part no final covers yet; the newest
   * part when there is more), ms. Default 30 000, at most half of `rotateAfterMs`.
   */
  maxReplayMs: z.number().int().min(0).optional(),
  /**
   * Most audio re-sent per 60 s of audio received (wall time when live), all streams of a
   * transcription together, ms. Default 60 000.
   */
  maxReplayPerMinuteMs: z.number().int().min(0).optional(),
  /**
   * Most audio sent ahead of what the service has processed (its latest result time, or the
   * stream's age in silence), ms. Default 5000, at most half of `rotateWindowMs` when that is not 0.
   * Audio fed faster than real time waits here rather than in gRPC buffers, so a rotation re-sends
   * little of it. `Infinity`: no limit.
   */
  maxLeadMs: z.number().min(1000).optional(),
  /** Reconnects after retryable failures: core's `RetryPolicy` under this adapter's names. */
  retry: z
    .strictObject({
      /**
       * Failed attempts retried in `windowMs` with no progress (a final, or a stream that stayed
       * up `healthyAfterMs`) before the error reaches the subscriber. Default 5.
       */
      maxAttempts: z.number().int().min(0).max(100).optional(),
      initialDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
      /** Failures older than this are forgotten, ms. Default 60 000. */
      windowMs: z.number().int().min(0).optional(),
      /** A stream that lived this long counts as progress, ms. Default 10 000. */
      healthyAfterMs: z.number().int().min(0).optional(),
    })
    .optional(),
});

/** Options of the Google Speech-to-Text adapter (all optional). */
export type GoogleSttOptions = z.input<typeof googleSttOptionsSchema>;

/** Options with every default filled in. */
export interface ResolvedSttOptions {
  readonly language: string;
  readonly model: string | undefined;
  readonly sampleRate: number;
  readonly interimResults: boolean;
  readonly voiceActivityEvents: boolean;
  readonly phraseHints: readonly string[];
  readonly phraseBoost: number | undefined;
  readonly punctuation: boolean;
  readonly chunkBytes: number;
  readonly rotateAfterMs: number;
  readonly rotateWindowMs: number;
  readonly idleTimeoutMs: number;
  /** Per-stream cap on re-sent audio, `rotateAfterMs / 2` at most. */
  readonly maxReplayMs: number;
  readonly maxReplayPerMinuteMs: number;
  readonly maxLeadMs: number;
  readonly retry: Partial<RetryPolicy>;
}

/** Fills in defaults. Assumes the options passed {@link googleSttOptionsSchema}. */
export function resolveSttOptions(options: GoogleSttOptions): ResolvedSttOptions {
  const sampleRate = options.sampleRate ?? 16000;
  return {
    language: options.language ?? 'en-US',
    model: options.model,
    sampleRate,
    interimResults: options.interimResults ?? true,
    voiceActivityEvents: options.voiceActivityEvents ?? true,
    phraseHints: options.phraseHints ?? [],
    phraseBoost: options.phraseBoost,
    punctuation: options.punctuation ?? true,
    chunkBytes: Math.min(MAX_REQUEST_BYTES, Math.round(((options.chunkMs ?? 100) * sampleRate) / 1000) * 2),
    rotateAfterMs: options.rotateAfterMs ?? 240_000,
    rotateWindowMs: options.rotateWindowMs ?? 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 5000,
    maxReplayMs: Math.min(options.maxReplayMs ?? 30_000, (options.rotateAfterMs ?? 240_000) / 2),
    maxReplayPerMinuteMs: options.maxReplayPerMinuteMs ?? 60_000,
    maxLeadMs: options.maxLeadMs ?? 5000,
    retry: {
      maxRetries: options.retry?.maxAttempts ?? 5,
      initialDelayMs: options.retry?.initialDelayMs ?? 200,
      maxDelayMs: options.retry?.maxDelayMs ?? 5000,
      ...(options.retry?.windowMs === undefined ? {} : { windowMs: options.retry.windowMs }),
      ...(options.retry?.healthyAfterMs === undefined
        ? {}
        : { healthyAfterMs: options.retry.healthyAfterMs }),
    },
  };
}
