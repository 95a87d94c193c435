import {
  ProtocolError,
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  toVoxError,
  type VoxError,
} from '@voxduplex/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

/**
 * Reads how long the server asked us to wait: `retry-after-ms` (OpenAI, Azure), then
 * `retry-after` in seconds or as an HTTP date. `undefined` when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const millis = headers?.get('retry-after-ms');
  if (millis) {
    const value = Number.parseFloat(millis);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers?.get('retry-after');
  if (!retryAfter) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(retryAfter)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function apiErrorCode(error: APIError): string {
  const body = error.error as { code?: unknown; type?: unknown } | undefined;
  return `${error.code ?? body?.code ?? ''} ${error.type ?? body?.type ?? ''}`;
}

/**
 * Maps whatever the OpenAI client (or the stream under it) threw into our hierarchy:
 * 401/403 → auth, 429 → quota (with `retryAfterMs`; `insufficient_quota` is not retryable),
 * 400/404/422 → request, 408 and client timeouts → timeout, 5xx, 409, connection failures and
 * dropped streams → unavailable, a malformed event → protocol.
 */
export function toProviderError(error: unknown, source: string): VoxError {
  const options = { cause: error, source };
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderTimeoutError(`${source}: request timed out`, options);
  }
  if (error instanceof APIConnectionError) {
    return new ProviderUnavailableError(`${source}: connection failed: ${error.message}`, options);
  }
  if (error instanceof APIError) {
    const status = error.status;
    const message = `${source}: ${error.message}`;
    if (status === 401 || status === 403) return new ProviderAuthError(message, options);
    if (status === 429 || (status === undefined && /rate_limit/.test(apiErrorCode(error)))) {
      const isExhausted = /insufficient_quota/.test(apiErrorCode(error));
      const waitMs = retryAfterMs(error.headers);
      return new ProviderQuotaError(message, {
        ...options,
        retryable: !isExhausted,
        ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
      });
    }
    if (status === 408) return new ProviderTimeoutError(message, options);
    if (status === 400 || status === 404 || status === 413 || status === 422) {
      return new ProviderRequestError(message, options);
    }
    // 5xx, 409, other statuses, and error payloads sent inside the stream.
    return new ProviderUnavailableError(message, options);
  }
  if (error instanceof SyntaxError) {
    return new ProtocolError(`${source}: malformed stream event: ${error.message}`, options);
  }
  if (error instanceof TypeError) {
    // undici reports a connection cut mid-body as `TypeError: terminated`.
    return new ProviderUnavailableError(`${source}: stream interrupted: ${error.message}`, options);
  }
  return toVoxError(error, source);
}
