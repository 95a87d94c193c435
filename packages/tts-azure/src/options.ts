import {
  AZURE_CREDENTIAL_REQUIRED,
  azureCredentialFields,
  hasAzureCredential,
} from '@voxduplex/azure-common';
import { z } from 'zod';

/**
 * Options of {@link AzureTts}, as a zod schema (the registry validates with it).
 *
 * Credentials: a subscription `key` or an `authorizationToken` (and/or a `refreshToken` callback,
 * called before each synthesis once the token is older than `tokenRefreshIntervalMs`).
 * Where: a `region`, or a `host` (`wss://host`; the SDK adds `/tts/cognitiveservices/websocket/v1`).
 */
export const azureTtsOptionsSchema = z
  .object({
    ...azureCredentialFields,
    voice: z.string().min(1).default('en-US-JennyNeural'),
    /** `xml:lang` of the SSML; taken from the voice name (`en-US-…`) when absent. */
    language: z.string().min(2).optional(),
    sampleRate: z.union([z.literal(16000), z.literal(24000)]).default(24000),
    speakingRate: z.number().min(0.5).max(2).default(1),
    firstChunkTimeoutMs: z.number().int().positive().default(5000),
    idleTimeoutMs: z.number().int().positive().default(5000),
  })
  .refine(hasAzureCredential, { message: AZURE_CREDENTIAL_REQUIRED })
  .refine((o) => o.region !== undefined || o.host !== undefined, { message: 'give a region or a host' });

/** What callers pass to {@link AzureTts}; defaults are filled in by {@link azureTtsOptionsSchema}. */
export type AzureTtsOptions = z.input<typeof azureTtsOptionsSchema>;
/** {@link AzureTtsOptions} after validation, defaults applied. */
export type ResolvedAzureTtsOptions = z.output<typeof azureTtsOptionsSchema>;
