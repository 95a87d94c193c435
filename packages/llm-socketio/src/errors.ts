import {
  ProtocolError,
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';
import type { ChatErrorPayload } from './protocol';

/**
 * Turns a `chat:error` payload into our hierarchy. The service speaks in voxduplex codes, so
 * a quota error on its side (its own LLM vendor said 429) reaches the app as `provider_quota`
 * with `retryAfterMs`, like any direct adapter would report it.
 */
export function serviceErrorToVoxError(error: ChatErrorPayload['error'], source: string): VoxError {
  const message = `${source}: ${error.message}`;
  const retryable = error.retryable === undefined ? {} : { retryable: error.retryable };
  switch (error.code) {
    case 'provider_auth':
      return new ProviderAuthError(message, { source });
    case 'provider_quota':
      return new ProviderQuotaError(message, {
        source,
        ...retryable,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      });
    case 'provider_timeout':
      return new ProviderTimeoutError(message, { source, ...retryable });
    case 'provider_invalid_request':
      return new ProviderRequestError(message, { source });
    case 'protocol_invalid':
      return new ProtocolError(message, { source, ...retryable });
    default:
      return new ProviderUnavailableError(message, { source, ...retryable });
  }
}
