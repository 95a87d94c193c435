import { describe, expect, it } from 'vitest';
import type { Logger } from './logger';
import { redactingLogger, redactSecrets } from './redact-secrets';

const KEY = 'sk-proj-Abc123Def456Ghi789';

describe('redactSecrets', () => {
  it.each([
    [`401 Incorrect API key provided: ${KEY}`, '401 Incorrect API key provided: [redacted]'],
    [
      'GET https://speech.example/v1?alt=json&key=AIzaSyD-0123456789abcdefghijk',
      'GET https://speech.example/v1?alt=json&key=[redacted]',
    ],
    ['Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.x', 'Authorization: [redacted] [redacted]'],
    ['{"api-key":"0123456789abcdef0123456789abcdef"}', '{"api-key":"[redacted]"}'],
    ['Ocp-Apim-Subscription-Key: 0123456789abcdef', 'Ocp-Apim-Subscription-Key: [redacted]'],
    ['redis://user:hunter2@cache:6379', 'redis://user:[redacted]@cache:6379'],
  ])('masks %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves ordinary text, ids and numbers alone', () => {
    const text = 'turn_ab12cd_3 of session_ab12cd_1 took 412 ms (provider_quota from tts:google)';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactingLogger', () => {
  it('redacts the message, string fields and errors with their causes, keeping the rest', () => {
    const lines: unknown[][] = [];
    const line = (...args: unknown[]) => {
      lines.push(args);
    };
    const target: Logger = { debug: line, info: line, warn: line, error: line };
    const log = redactingLogger(target);
    const cause = new Error(`POST https://x.example/v1?key=${KEY}`);
    log.warn(
      { sessionId: 's1', playedMs: 412, cause: `quota for ${KEY}`, err: new Error(`bad ${KEY}`, { cause }) },
      `failed with ${KEY}`,
    );
    log.info(`plain ${KEY}`);

    const [[fields, message], [plain]] = lines as [[Record<string, unknown>, string], [string]];
    expect(message).toBe('failed with [redacted]');
    expect(plain).toBe('plain [redacted]');
    expect(fields).toMatchObject({ sessionId: 's1', playedMs: 412, cause: 'quota for [redacted]' });
    const err = fields.err as Error;
    expect(err.message).toBe('bad [redacted]');
    expect((err.cause as Error).message).toBe('POST https://x.example/v1?key=[redacted]');
    expect(err.stack).not.toContain(KEY);
  });

  it('passes an error with nothing secret in it as it is', () => {
    const seen: unknown[] = [];
    const warn = (fields: object | string) => {
      seen.push(fields);
    };
    const log = redactingLogger({ debug: () => {}, info: () => {}, warn, error: () => {} });
    const clean = new TypeError('Cannot read properties of undefined');
    log.warn({ err: clean }, 'authenticate threw');
    expect((seen[0] as { err: unknown }).err).toBe(clean);
  });
});
