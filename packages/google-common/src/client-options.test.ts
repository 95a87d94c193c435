import { describe, expect, test } from 'vitest';
import { googleClientOptions } from './client-options';
import { googleConnectionSchema } from './connection';

describe('googleClientOptions', () => {
  test('maps inline credentials to the client field names', () => {
    const connection = googleConnectionSchema.parse({
      credentials: { clientEmail: 'a@b.iam.gserviceaccount.com', privateKey: 'PEM' },
      projectId: 'p',
    });
    expect(googleClientOptions(connection)).toEqual({
      credentials: { client_email: 'a@b.iam.gserviceaccount.com', private_key: 'PEM' },
      projectId: 'p',
    });
  });

  test('an insecure endpoint uses insecure channel credentials and pins the universe domain', () => {
    const options = googleClientOptions({ endpoint: { host: '127.0.0.1', port: 9000, insecure: true } });
    expect(options).toMatchObject({ apiEndpoint: '127.0.0.1', port: 9000, universeDomain: 'googleapis.com' });
    expect(options.sslCreds).toBeDefined();
  });

  test('nothing given means Application Default Credentials', () => {
    expect(googleClientOptions({})).toEqual({});
  });

  test('unknown connection fields are refused', () => {
    expect(googleConnectionSchema.safeParse({ apiKey: 'x' }).success).toBe(false);
  });
});
