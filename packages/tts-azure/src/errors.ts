import {
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';
import { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';

/** Error source of this package. */
export const TTS_SOURCE = 'tts:azure';

/**
 * Maps a canceled synthesis into a {@link VoxError}. As for recognition, Node's global WebSocket
 * hides the HTTP status of a refused upgrade, so a bad key surfaces as `ConnectionFailure`.
 */
export function voxErrorFromSynthesisCancellation(code: CancellationErrorCode, details: string): VoxError {
  const message = `Azure Speech synthesis canceled (${CancellationErrorCode[code]}): ${details || 'no details'}`;
  const options = { source: TTS_SOURCE };
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
      return new ProviderUnavailableError(message, options);
    default:
      return new ProviderUnavailableError(message, options);
  }
}
