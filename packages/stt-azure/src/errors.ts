import {
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';
import { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';

const SOURCE = 'stt:azure';

/**
 * Maps the SDK's `canceled` error code into a {@link VoxError}.
 *
 * On Node >= 22 the SDK uses the global WebSocket, which hides the HTTP status of a refused
 * upgrade: a bad key then looks like any other `ConnectionFailure` and maps to a retryable
 * {@link ProviderUnavailableError}. A 401/403 that does reach the error text maps to auth.
 */
export function voxErrorFromCancellation(code: CancellationErrorCode, details: string): VoxError {
  const message = `Azure Speech recognition canceled (${CancellationErrorCode[code]}): ${details || 'no details'}`;
  switch (code) {
    case CancellationErrorCode.AuthenticationFailure:
    case CancellationErrorCode.Forbidden:
      return new ProviderAuthError(message, { source: SOURCE });
    case CancellationErrorCode.TooManyRequests:
      return new ProviderQuotaError(message, { source: SOURCE });
    case CancellationErrorCode.BadRequestParameters:
      return new ProviderRequestError(message, { source: SOURCE });
    case CancellationErrorCode.ServiceTimeout:
      return new ProviderTimeoutError(message, { source: SOURCE });
    case CancellationErrorCode.ConnectionFailure:
      if (/\b(401|403)\b/.test(details)) return new ProviderAuthError(message, { source: SOURCE });
      return new ProviderUnavailableError(
        `${message} (check key, region and token: Node's WebSocket does not report the HTTP status)`,
        { source: SOURCE },
      );
    case CancellationErrorCode.RuntimeError:
      return new ProviderUnavailableError(message, { source: SOURCE, retryable: false });
    default:
      return new ProviderUnavailableError(message, { source: SOURCE });
  }
}

export { SOURCE as STT_SOURCE };
