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
 * A refused upgrade arrives as `ConnectionFailure` whose text holds the HTTP status (the adapter
 * makes the SDK use the npm `ws` package, see `preferNpmWebSocket`): 401/403 map to
 * {@link ProviderAuthError} (never retried), 429 to {@link ProviderQuotaError}. Azure's
 * `Retry-After` header does not reach the SDK's error, so `retryAfterMs` stays unknown. A
 * phrase with status Error (`ServiceError`) and a dropped socket (1011) are
 * {@link ProviderUnavailableError}s.
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
      if (/\b429\b/.test(details)) return new ProviderQuotaError(message, { source: SOURCE });
      return new ProviderUnavailableError(message, { source: SOURCE });
    case CancellationErrorCode.RuntimeError:
      return new ProviderUnavailableError(message, { source: SOURCE, retryable: false });
    default:
      return new ProviderUnavailableError(message, { source: SOURCE });
  }
}

export { SOURCE as STT_SOURCE };
