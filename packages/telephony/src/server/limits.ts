import { ConfigError } from '@voxduplex/core';
import { z } from 'zod';

export const phoneLimitsSchema = z.object({
  /** Largest inbound text message, bytes; a larger one is dropped. A 20 ms media message is ≈ 0.4 KB. */
  maxMessageBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024),
  /**
   * Sustained inbound messages per second per call. Twilio sends 50 media messages a second and
   * echoes up to 50 marks; more is a flood and is dropped.
   */
  maxMessagesPerSecond: z.number().positive().default(200),
  /** Messages a call may send in a burst above the sustained rate (a network hiccup bunches frames). */
  messageBurst: z.number().int().positive().default(200),
  /** How long a new stream may take to send `start`, ms; then it is closed. */
  startTimeoutMs: z.number().positive().default(10_000),
  /** Caller audio held while the call is authenticated and its session created, ms; more is dropped. */
  maxBufferedInputMs: z.number().nonnegative().default(2000),
  /**
   * Caller frames held behind a missing one before it is filled with silence (frames may come
   * out of order on Telnyx): the most a lost frame delays the caller's audio, in 20 ms frames.
   */
  reorderWindowFrames: z.number().int().min(0).max(50).default(3),
});

/** Per-call bounds; every field has a default (see the README's options table). */
export type PhoneLimits = z.input<typeof phoneLimitsSchema>;
export type ResolvedPhoneLimits = z.output<typeof phoneLimitsSchema>;

/** Fills in defaults and validates, every problem in one {@link ConfigError}. */
export function resolvePhoneLimits(limits: PhoneLimits = {}): ResolvedPhoneLimits {
  const parsed = phoneLimitsSchema.safeParse(limits);
  if (!parsed.success)
    throw new ConfigError(
      'Invalid phone agent limits',
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  return parsed.data;
}
