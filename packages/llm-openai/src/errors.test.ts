import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, toProviderError } from './errors';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('retryAfterMs', () => {
  it('prefers retry-after-ms, then reads seconds or an HTTP date', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30_000);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('toProviderError', () => {
  const apiError = (status: number, body: object = {}, extra: Record<string, string> = {}) =>
    APIError.generate(status, body, undefined, headers(extra));

  it.each([
    [401, 'provider_auth'],
    [403, 'provider_auth'],
    [429, 'provider_quota'],
    [400, 'provider_invalid_request'],
    [422, 'provider_invalid_request'],
    [408, 'provider_timeout'],
    [500, 'provider_unavailable'],
    [502, 'provider_unavailable'],
  ])('maps HTTP %i to %s', (status, code) => {
    const error = toProviderError(apiError(status), 'llm:test');
    expect(error.code).toBe(code);
    expect(error.source).toBe('llm:test');
    expect(error.cause).toBeInstanceOf(APIError);
  });

  it('carries retry-after on quota errors', () => {
    expect(toProviderError(apiError(429, {}, { 'retry-after': '7' }), 's')).toMatchObject({
      retryAfterMs: 7000,
    });
  });

  it('maps client timeouts and connection failures', () => {
    expect(toProviderError(new APIConnectionTimeoutError(), 's').code).toBe('provider_timeout');
    expect(toProviderError(new APIConnectionError({ message: 'ECONNREFUSED' }), 's').code).toBe(
      'provider_unavailable',
    );
    expect(toProviderError(new TypeError('terminated'), 's').code).toBe('provider_unavailable');
  });

  it('wraps anything else in a VoxError', () => {
    expect(toProviderError('weird', 's')).toMatchObject({ code: 'provider_unavailable', source: 's' });
  });
});
