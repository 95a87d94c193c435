import {
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';
import { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';

/** Which SDK operation was canceled, and the error `source` to name (`'stt:azure'`). */
export interface CancellationContext {
  readonly operation: 'recognition' | 'synthesis';
  readonly source: string;
}

/**
 * Maps the Speech SDK's cancellation error code and details into a {@link VoxError}.
 *
 * A refused upgrade arrives as `ConnectionFailure` whose details hold the HTTP status — once the
 * SDK runs on the npm `ws` package ({@link preferNpmWebSocket}): 401/403 map to
 * {@link ProviderAuthError} (never retried), 429 to {@link ProviderQuotaError}. Azure's
 * `Retry-After` header does not reach the SDK's error, so `retryAfterMs` stays unknown. A phrase
 * with status Error (`ServiceError`) and a dropped socket are retryable
 * {@link ProviderUnavailableError}s; an SDK `RuntimeError` is not retryable.
 */
export function voxErrorFromCancellation(
  code: CancellationErrorCode,
  details: string,
  { operation, source }: CancellationContext,
): VoxError {
  const message = `Azure Speech ${operation} canceled (${CancellationErrorCode[code]}): ${details || 'no details'}`;
  const options = { source };
  switch (code) {
    case CancellationErrorCode.AuthenticationFailure:
    case CancellationErrorCode.Forbidden:
      return new ProviderAuthError(message, options);
    case CancellationErrorCode.TooManyRequests:
      return new ProviderQuotaError(message, options);
    case CancellationErrorCode.BadRequestParameters:
      return new ProviderRequestError(message, options);
    case CancellationErrorCode.ServiceTimeout:
      return new ProviderTimeoutError(message, options);
    case CancellationErrorCode.ConnectionFailure:
      if (/\b(401|403)\b/.test(details)) return new ProviderAuthError(message, options);
      if (/\b429\b/.test(details)) return new ProviderQuotaError(message, options);
      return new ProviderUnavailableError(message, options);
    case CancellationErrorCode.RuntimeError:
      return new ProviderUnavailableError(message, { ...options, retryable: false });
    default:
      return new ProviderUnavailableError(message, options);
  }
}
