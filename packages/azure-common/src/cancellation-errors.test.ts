import { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';
import { describe, expect, it } from 'vitest';
import { voxErrorFromCancellation } from './cancellation-errors';

describe('voxErrorFromCancellation', () => {
  it.each([
    [CancellationErrorCode.AuthenticationFailure, '', 'provider_auth', false],
    [CancellationErrorCode.Forbidden, '', 'provider_auth', false],
    [CancellationErrorCode.TooManyRequests, '', 'provider_quota', true],
    [CancellationErrorCode.BadRequestParameters, '', 'provider_invalid_request', false],
    [CancellationErrorCode.ServiceTimeout, '', 'provider_timeout', true],
    [CancellationErrorCode.ServiceError, '', 'provider_unavailable', true],
    [CancellationErrorCode.ConnectionFailure, 'Unexpected server response: 401', 'provider_auth', false],
    [CancellationErrorCode.ConnectionFailure, 'Unexpected server response: 429', 'provider_quota', true],
    [CancellationErrorCode.ConnectionFailure, 'StatusCode: 1006', 'provider_unavailable', true],
    [CancellationErrorCode.RuntimeError, '', 'provider_unavailable', false],
  ])('maps %s (%s) to %s', (code, details, expected, retryable) => {
    const error = voxErrorFromCancellation(code, details, { operation: 'recognition', source: 'stt:azure' });
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.source).toBe('stt:azure');
    expect(error.message).toMatch(/^Azure Speech recognition canceled/);
  });
});
