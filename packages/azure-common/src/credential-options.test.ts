import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AZURE_CREDENTIAL_REQUIRED, azureCredentialFields, hasAzureCredential } from './credential-options';

const schema = z
  .object(azureCredentialFields)
  .refine(hasAzureCredential, { message: AZURE_CREDENTIAL_REQUIRED });

describe('Azure credential options', () => {
  it('refuses options without a key, a token or a refresh callback, and says what to give', () => {
    const parsed = schema.safeParse({ region: 'westeurope' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(AZURE_CREDENTIAL_REQUIRED);
  });

  it('accepts any one of the three credentials', () => {
    for (const credential of [{ key: 'k' }, { authorizationToken: 't' }, { refreshToken: async () => 't' }])
      expect(schema.safeParse({ region: 'westeurope', ...credential }).success).toBe(true);
  });

  it('refreshes tokens every 9 minutes unless told otherwise, and takes a host as a URL', () => {
    const parsed = schema.parse({ authorizationToken: 't', host: new URL('wss://speech.example.com') });
    expect(parsed.tokenRefreshIntervalMs).toBe(9 * 60_000);
    expect(schema.safeParse({ key: 'k', host: 'not a url' }).success).toBe(false);
  });
});
