import { describe, expect, it } from 'vitest';
import { serviceErrorToVoxError } from './errors';

describe('serviceErrorToVoxError', () => {
  it.each([
    ['provider_auth', 'ProviderAuthError', false],
    ['provider_quota', 'ProviderQuotaError', true],
    ['provider_timeout', 'ProviderTimeoutError', true],
    ['provider_invalid_request', 'ProviderRequestError', false],
    ['protocol_invalid', 'ProtocolError', false],
    ['something_new', 'ProviderUnavailableError', true],
  ])('maps code %s to %s', (code, name, retryable) => {
    const error = serviceErrorToVoxError({ code, message: 'upstream said no' }, 'llm:socketio');
    expect(error).toMatchObject({ name, retryable, source: 'llm:socketio' });
    expect(error.message).toBe('llm:socketio: upstream said no');
  });

  it('honours the service’s retryable flag where the family allows it', () => {
    expect(
      serviceErrorToVoxError({ code: 'provider_quota', message: 'm', retryable: false }, 's').retryable,
    ).toBe(false);
    expect(
      serviceErrorToVoxError({ code: 'provider_auth', message: 'm', retryable: true }, 's').retryable,
    ).toBe(false);
  });
});
