import { VoxError } from '@voxduplex/core';
import { z } from 'zod';

/**
 * Finer cause of a transport error, next to the core error `code`:
 *
 * | reason | code | meaning |
 * |---|---|---|
 * | `invalid_message` | `protocol_invalid` | payload failed its schema |
 * | `malformed_json` | `protocol_invalid` | a string payload that is not JSON |
 * | `unknown_event` | `protocol_invalid` | event name not in the protocol |
 * | `rate_limited` | `protocol_invalid` | more messages than `limits.maxMessagesPerSecond` |
 * | `not_started` | `protocol_invalid` | audio before `start`, after `stop` |
 * | `not_ready` | `protocol_invalid` | message before the session is attached |
 * | `unknown_speech` | `protocol_invalid` | playback ack for a speechId never sent |
 * | `not_binary` | `audio_format` | audio frame that is not binary |
 * | `bad_frame` | `audio_format` | header missing/wrong, or odd PCM byte length |
 * | `wrong_sample_rate` | `audio_format` | frame or start at another rate than expected |
 * | `frame_too_large` | `audio_format` | frame above `limits.maxFrameBytes` |
 * | `input_overflow` | `audio_format` | audio beyond `limits.maxBufferedInputMs` while attaching |
 * | `audio_dropped` | `protocol_invalid` | client too slow: the rest of a speech was dropped |
 * | `session_error` | any | an error the session reported (provider failure…) |
 * | `no_agent` | `config_invalid` | client side: no voice agent serves the namespace (no `ready` within `readyTimeoutMs`, or no such namespace) |
 */
export const ERROR_REASONS = [
  'invalid_message',
  'malformed_json',
  'unknown_event',
  'rate_limited',
  'not_started',
  'not_ready',
  'unknown_speech',
  'not_binary',
  'bad_frame',
  'wrong_sample_rate',
  'frame_too_large',
  'input_overflow',
  'audio_dropped',
  'session_error',
  'no_agent',
  'unreachable',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** `error`: a typed error. The offending message (if any) was dropped; the session lives on. */
export const errorMessageSchema = z.object({
  /** A core `VoxErrorCode` (`protocol_invalid`, `audio_format`, `provider_quota`…). */
  code: z.string(),
  reason: z.enum(ERROR_REASONS),
  message: z.string(),
  retryable: z.boolean(),
  source: z.string().optional(),
  /** The inbound event that caused it. */
  event: z.string().optional(),
  turnId: z.string().optional(),
  speechId: z.string().optional(),
});
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

/** Why a connection was refused, in `connect_error`'s `data`. */
export const CONNECT_REFUSAL_REASONS = ['unauthorized', 'resume_refused', 'protocol_mismatch'] as const;
export type ConnectRefusalReason = (typeof CONNECT_REFUSAL_REASONS)[number];

/**
 * Why a resume was refused, in `connect_error.data.detail` next to `reason: 'resume_refused'`
 * (protocol 1 revision 4; older servers send no detail):
 *
 * | detail | meaning | what the client does |
 * |---|---|---|
 * | `resume_unknown` | token spent, expired, revoked, never issued, or another identity's | starts a new session |
 * | `resume_unavailable` | the session store did not answer in time (the session may still exist) | starts a new session |
 * | `snapshot_incompatible` | the session was saved by a server of another protocol or snapshot format | starts a new session |
 */
export const RESUME_REFUSALS = ['resume_unknown', 'resume_unavailable', 'snapshot_incompatible'] as const;
export type ResumeRefusal = (typeof RESUME_REFUSALS)[number];

/** `connect_error.data` when the voice namespace refuses a handshake. */
export const connectRefusalSchema = z.object({
  reason: z.enum(CONNECT_REFUSAL_REASONS),
  message: z.string(),
  /** With `resume_refused`: why (see {@link RESUME_REFUSALS}). A detail this client does not know reads as absent. */
  detail: z.enum(RESUME_REFUSALS).optional().catch(undefined),
});
export type ConnectRefusal = z.infer<typeof connectRefusalSchema>;

/** Serializes a core error for the wire, with its transport reason. */
export function toErrorMessage(
  error: VoxError,
  reason: ErrorReason,
  extra: { event?: string; turnId?: string; speechId?: string } = {},
): ErrorMessage {
  const { code, message, retryable, source } = error.toJSON();
  return {
    code,
    reason,
    message,
    retryable,
    ...(source === undefined ? {} : { source }),
    ...extra,
  };
}

/** Rebuilds a {@link VoxError} from an `error` message (client side), keeping `code`. */
export function fromErrorMessage(message: ErrorMessage): VoxError & { reason: ErrorReason } {
  const error = new VoxError(message.code as VoxError['code'], message.message, {
    retryable: message.retryable,
    ...(message.source === undefined ? {} : { source: message.source }),
  }) as VoxError & { reason: ErrorReason };
  error.name = 'TransportError';
  Object.defineProperty(error, 'reason', { value: message.reason, enumerable: true });
  return error;
}
