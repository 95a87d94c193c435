import { grpcCode } from '@voxduplex/google-common';

/** What the recognition loop does after a call ended with an error. */
export type FailureAction = 'restart' | 'retry' | 'fail';

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
