import { describe, expect, test } from 'vitest';
import { grpcCode, voxErrorFromGrpc } from './grpc-errors';

const status = (code: number, details = 'x') =>
  Object.assign(new Error(`${code} X: ${details}`), { code, details });

describe('gRPC errors', () => {
  test.each([
    [16, 'ProviderAuthError', 'provider_auth', false],
    [7, 'ProviderAuthError', 'provider_auth', false],
    [8, 'ProviderQuotaError', 'provider_quota', true],
    [4, 'ProviderTimeoutError', 'provider_timeout', true],
    [3, 'ProviderRequestError', 'provider_invalid_request', false],
    [11, 'ProviderRequestError', 'provider_invalid_request', false],
    [14, 'ProviderUnavailableError', 'provider_unavailable', true],
    [1, 'ProviderUnavailableError', 'provider_unavailable', true],
  ])('code %i → %s', (code, name, voxCode, retryable) => {
    const error = voxErrorFromGrpc(status(code, 'the details'), 'stt:google');
    expect(error).toMatchObject({ name, code: voxCode, retryable, source: 'stt:google' });
    expect(error.message).toBe('Google stt:google: the details');
    expect(error.cause).toBeInstanceOf(Error);
  });

  test('without status details the message is the error message', () => {
    expect(voxErrorFromGrpc(new Error('socket hang up'), 'tts:google').message).toBe(
      'Google tts:google: socket hang up',
    );
  });

  test('a non-gRPC error has no code and maps to unavailable', () => {
    expect(grpcCode(new Error('boom'))).toBeUndefined();
    expect(grpcCode(null)).toBeUndefined();
    expect(voxErrorFromGrpc('boom', 'stt:google').code).toBe('provider_unavailable');
  });
});
