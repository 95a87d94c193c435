import { describe, expect, test } from 'vitest';
import { failureAction, voxErrorFromGrpc } from './grpc-errors';

const status = (code: number, details = 'x') =>
  Object.assign(new Error(`${code} X: ${details}`), { code, details });

describe('gRPC failures', () => {
  test.each([
    [11, 'restart'],
    [14, 'retry'],
    [1, 'retry'],
    [13, 'retry'],
    [8, 'retry'],
    [4, 'retry'],
    [16, 'fail'],
    [7, 'fail'],
    [3, 'fail'],
    [12, 'fail'],
  ])('code %i → %s', (code, action) => {
    expect(failureAction(status(code))).toBe(action);
  });

  test.each([
    [16, 'ProviderAuthError', 'provider_auth', false],
    [7, 'ProviderAuthError', 'provider_auth', false],
    [8, 'ProviderQuotaError', 'provider_quota', true],
    [4, 'ProviderTimeoutError', 'provider_timeout', true],
    [3, 'ProviderRequestError', 'provider_invalid_request', false],
    [14, 'ProviderUnavailableError', 'provider_unavailable', true],
    [1, 'ProviderUnavailableError', 'provider_unavailable', true],
  ])('code %i → %s', (code, name, voxCode, retryable) => {
    const error = voxErrorFromGrpc(status(code, 'the details'), 'stt:google');
    expect(error).toMatchObject({ name, code: voxCode, retryable, source: 'stt:google' });
    expect(error.message).toBe('Google stt:google: the details');
    expect(error.cause).toBeInstanceOf(Error);
  });

  test('a non-gRPC error is retried and maps to unavailable', () => {
    expect(failureAction(new Error('socket hang up'))).toBe('retry');
    expect(voxErrorFromGrpc('boom', 'stt:google').code).toBe('provider_unavailable');
  });
});
