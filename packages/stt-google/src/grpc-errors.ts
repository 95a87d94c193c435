import {
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';

/** What the recognition loop does after a call ended with an error. */
export type FailureAction = 'restart' | 'retry' | 'fail';

/** A gRPC status code, from an error the client library emitted (`code` is absent on non-gRPC errors). */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function details(error: unknown): string {
  const text = (error as { details?: unknown } | null)?.details;
  if (typeof text === 'string' && text.length > 0) return text;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decides what a failed StreamingRecognize call means. OUT_OF_RANGE (stream too long, audio timeout)
 * asks for a fresh stream; transport failures are retried with backoff — including CANCELLED that
 * we did not ask for, which is how a server that dies mid-stream shows up; the rest fail.
 */
export function failureAction(error: unknown): FailureAction {
  switch (grpcCode(error)) {
    case 11: // OUT_OF_RANGE
      return 'restart';
    case 1: // CANCELLED (by the server or the network, not by us)
    case 2: // UNKNOWN
    case 4: // DEADLINE_EXCEEDED
    case 8: // RESOURCE_EXHAUSTED
    case 10: // ABORTED
    case 13: // INTERNAL
    case 14: // UNAVAILABLE
      return 'retry';
    case undefined:
      return 'retry';
    default:
      return 'fail';
  }
}

/** Maps a gRPC error from a Google client into core's typed errors, keeping it as `cause`. */
export function voxErrorFromGrpc(error: unknown, source: string): VoxError {
  const code = grpcCode(error);
  const message = `Google ${source}: ${details(error)}`;
  const options = { cause: error, source };
  switch (code) {
    case 16: // UNAUTHENTICATED
    case 7: // PERMISSION_DENIED
      return new ProviderAuthError(message, options);
    case 8: // RESOURCE_EXHAUSTED
      return new ProviderQuotaError(message, options);
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
