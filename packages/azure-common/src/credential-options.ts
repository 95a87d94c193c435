import { z } from 'zod';

/** A URL option: a string that parses as a URL, or a `URL`. */
export const urlOption = z.union([z.string().url(), z.instanceof(URL)]);

/**
 * How an Azure Speech adapter reaches and signs in to Azure, as zod fields to spread into its
 * options schema: a subscription `key`, or an `authorizationToken` and/or a `refreshToken`
 * callback (each adapter says when it calls it; tokens live 10 minutes, so the default
 * `tokenRefreshIntervalMs` is 9); and a `region` or a `host` (`wss://host`, the SDK adds the
 * path). Check a credential was given with {@link hasAzureCredential}.
 */
export const azureCredentialFields = {
  key: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  host: urlOption.optional(),
  authorizationToken: z.string().min(1).optional(),
  refreshToken: z.custom<() => Promise<string>>((value) => typeof value === 'function').optional(),
  tokenRefreshIntervalMs: z
    .number()
    .int()
    .positive()
    .default(9 * 60_000),
};

/** Why {@link hasAzureCredential} refused: the message its `refine` gives. */
export const AZURE_CREDENTIAL_REQUIRED = 'give a key, an authorizationToken or a refreshToken callback';

/**
 * Whether options carry some credential: a `key`, an `authorizationToken` or a `refreshToken`.
 * Use as `schema.refine(hasAzureCredential, { message: AZURE_CREDENTIAL_REQUIRED })`.
 */
export function hasAzureCredential(options: {
  readonly key?: string | undefined;
  readonly authorizationToken?: string | undefined;
  readonly refreshToken?: unknown;
}): boolean {
  return (
    options.key !== undefined ||
    options.authorizationToken !== undefined ||
    options.refreshToken !== undefined
  );
}
