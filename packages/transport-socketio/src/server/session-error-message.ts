import type { VoxError, VoxErrorCode } from '@voxduplex/core';
import { type ErrorMessage, toErrorMessage } from '../protocol/wire-error';

/**
 * What a client is told about a failure it did not cause, by error code. Provider, tool and
 * session-factory errors carry foreign text — HTTP bodies, SDK messages, URLs with `?key=` —
 * that can quote the server's credentials, so that text never goes on the wire: the client gets
 * the code, source, retryable flag and one of these sentences; the full error (message and
 * `cause`) stays on the server, in the session's `error` event.
 */
const CLIENT_MESSAGES: Record<VoxErrorCode, string> = {
  config_invalid: 'the voice agent is misconfigured',
  provider_auth: 'a speech or language provider refused the server credentials',
  provider_quota: 'a speech or language provider is over its rate limit or quota',
  provider_unavailable: 'a speech or language provider could not be reached',
  provider_timeout: 'a speech or language provider did not answer in time',
  provider_invalid_request: 'a speech or language provider refused the request',
  provider_failed: 'a speech or language provider failed',
  protocol_invalid: 'the voice session refused a message',
  audio_format: 'the voice session could not use the audio',
  audio_device: 'an audio device failed',
  illegal_transition: 'the voice session could not do that in its current state',
  session_closed: 'the voice session is closed',
  tool_failed: 'a tool of the voice agent failed',
  pipeline_stage_failed: 'a stage of the voice pipeline failed',
  system_dependency_missing: 'the voice agent lacks a system component',
};

/** Serializes a session-side failure (`reason: 'session_error'`) without its message text. */
export function toSessionErrorMessage(
  error: VoxError,
  extra: { event?: string; turnId?: string; speechId?: string } = {},
): ErrorMessage {
  const message = CLIENT_MESSAGES[error.code] ?? 'the voice session failed';
  return { ...toErrorMessage(error, 'session_error', extra), message };
}
