import {
  AZURE_CREDENTIAL_REQUIRED,
  azureCredentialFields,
  hasAzureCredential,
  urlOption,
} from '@voxduplex/azure-common';
import { z } from 'zod';

/**
 * Options of {@link AzureStt}, as a zod schema (the registry validates with it).
 *
 * Credentials: a subscription `key`, or an `authorizationToken` and/or a `refreshToken` callback.
 * Where: a `region`, or an `endpoint` (full URL with path) or `host` (`wss://host`, the SDK adds the path).
 */
export const azureSttOptionsSchema = z
  .object({
    ...azureCredentialFields,
    endpoint: urlOption.optional(),
    language: z.string().min(2).default('en-US'),
    languages: z.array(z.string().min(2)).min(1).max(10).optional(),
    segmentationSilenceTimeoutMs: z.number().int().min(100).max(5000).optional(),
    phrases: z.array(z.string().min(1)).optional(),
    profanity: z.enum(['masked', 'removed', 'raw']).default('masked'),
    outputFormat: z.enum(['simple', 'detailed']).default('simple'),
    /** Failed recognizers replaced in a row with no progress (core's `RetryBudget.maxRetries`). */
    maxRetries: z.number().int().min(0).max(20).default(3),
    /** Wait before the first replacement, ms; doubled per failure, half of it random. */
    retryDelayMs: z.number().int().min(0).default(250),
    /** Longest wait between replacements, ms. */
    maxRetryDelayMs: z.number().int().min(0).default(5000),
    /** Most audio re-sent per 60 s of audio, all recognizers together, ms (per recognizer: `maxReplayMs`). */
    maxReplayPerMinuteMs: z.number().int().min(0).default(60_000),
    rotateAfterMs: z
      .number()
      .int()
      .positive()
      .default(10 * 60_000),
    forceRotateAfterMs: z.number().int().positive().optional(),
    maxReplayMs: z.number().int().positive().default(30_000),
    idleReplayMs: z.number().int().positive().default(5000),
    stopTimeoutMs: z.number().int().positive().default(3000),
    endTimeoutMs: z.number().int().positive().default(10_000),
    transmitLengthBeforeThrottleMs: z.number().int().positive().optional(),
  })
  .refine(hasAzureCredential, { message: AZURE_CREDENTIAL_REQUIRED })
  .refine((o) => o.region !== undefined || o.endpoint !== undefined || o.host !== undefined, {
    message: 'give a region, an endpoint or a host',
  })
  .refine((o) => o.endpoint === undefined || o.host === undefined, {
    message: 'give an endpoint or a host, not both',
  })
  // An endpoint without a path makes the SDK first fetch https://<host>:443/… looking for a redirect.
  .refine((o) => o.endpoint === undefined || !['', '/'].includes(new URL(o.endpoint).pathname), {
    message: 'the endpoint needs a path, e.g. /speech/recognition/conversation/cognitiveservices/v1',
    path: ['endpoint'],
  });

/** What callers pass to {@link AzureStt}: defaults are filled in by {@link azureSttOptionsSchema}. */
export type AzureSttOptions = z.input<typeof azureSttOptionsSchema>;
/** {@link AzureSttOptions} after validation, defaults applied. */
export type ResolvedAzureSttOptions = z.output<typeof azureSttOptionsSchema>;
