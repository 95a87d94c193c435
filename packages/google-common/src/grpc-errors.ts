import {
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';

/** A gRPC status code, from an error the client library emitted (`code` is absent on non-gRPC errors). */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The status details of a gRPC error, else its message. */
function grpcDetails(error: unknown): string {
  const text = (error as { details?: unknown } | null)?.details;
  if (typeof text === 'string' && text.length > 0) return text;
  return error instanceof Error ? error.message : String(error);
}

interface DurationLike {
  readonly seconds?: unknown;
  readonly nanos?: unknown;
}

/**
 * The wait a `google.rpc.RetryInfo` in the error's status details asks for, ms (google-gax
 * decodes the `grpc-status-details-bin` trailer into `statusDetails`); undefined when absent.
 */
export function retryDelayMsOf(error: unknown): number | undefined {
  const details = (error as { statusDetails?: unknown } | null)?.statusDetails;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: DurationLike } | null)?.retryDelay;
    if (!delay) continue;
    const ms = Number(delay.seconds ?? 0) * 1000 + Number(delay.nanos ?? 0) / 1e6;
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  return undefined;
}

/**
 * Maps a gRPC error from a Google client into core's typed errors, keeping it as `cause`.
 * RESOURCE_EXHAUSTED carries the `RetryInfo` delay as `retryAfterMs` when the service sent one.
 */
export function voxErrorFromGrpc(error: unknown, source: string): VoxError {
  const message = `Google ${source}: ${grpcDetails(error)}`;
  const options = { cause: error, source };
  switch (grpcCode(error)) {
    case 16: // UNAUTHENTICATED
    case 7: // PERMISSION_DENIED
      return new ProviderAuthError(message, options);
    case 8: {
      // RESOURCE_EXHAUSTED
      const retryAfterMs = retryDelayMsOf(error);
      return new ProviderQuotaError(message, {
        ...options,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    case 4: // DEADLINE_EXCEEDED
      return new ProviderTimeoutError(message, options);
    case 3: // INVALID_ARGUMENT
    case 5: // NOT_FOUND
    case 9: // FAILED_PRECONDITION
    case 11: // OUT_OF_RANGE
    case 12: // UNIMPLEMENTED
      return new ProviderRequestError(message, options);
    default:
      return new ProviderUnavailableError(message, options);
  }
}
