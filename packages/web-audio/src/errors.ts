import { VoxError, type VoxErrorCode } from '@voxduplex/core';

/**
 * What went wrong with the browser's audio:
 * - `permission_denied`: the user or a policy refused the microphone (`NotAllowedError`).
 * - `device_not_found`: no microphone, or none matching the constraints.
 * - `device_unavailable`: the microphone exists but cannot be opened (in use, hardware error).
 * - `device_lost`: the open microphone went away (unplugged, permission revoked mid-call).
 * - `playback_blocked`: the autoplay policy keeps the AudioContext suspended until a user gesture.
 * - `worklet_unsupported`: no AudioWorklet (old browser, or a page that is not a secure context).
 */
export type WebAudioErrorReason =
  | 'permission_denied'
  | 'device_not_found'
  | 'device_unavailable'
  | 'device_lost'
  | 'playback_blocked'
  | 'worklet_unsupported';

// Core's VoxErrorCode has no code for local audio devices yet; `audio_device` is requested from
// core. Until it lands the value is set here, once, so callers can already branch on it.
const AUDIO_DEVICE_CODE = 'audio_device' as string as VoxErrorCode;

/**
 * A browser audio failure. `code` is `'audio_device'`; branch on `reason`. `retryable` is true
 * when trying again can succeed without the user changing settings (`device_unavailable`,
 * `device_lost`, `playback_blocked` after a gesture).
 *
 * @example
 * try { await client.start(); } catch (error) {
 *   if (WebAudioError.isWebAudioError(error) && error.reason === 'permission_denied') showMicHelp();
 * }
 */
export class WebAudioError extends VoxError {
  readonly reason: WebAudioErrorReason;

  constructor(reason: WebAudioErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(AUDIO_DEVICE_CODE, message, {
      ...options,
      retryable: reason === 'device_unavailable' || reason === 'device_lost' || reason === 'playback_blocked',
      source: 'web-audio',
    });
    this.name = 'WebAudioError';
    this.reason = reason;
  }

  /** True for a {@link WebAudioError}, even from another copy of this package. */
  static isWebAudioError(value: unknown): value is WebAudioError {
    return VoxError.isInstance(value) && typeof (value as { reason?: unknown }).reason === 'string';
  }
}

/** Maps a `getUserMedia` rejection (a DOMException by name) to a {@link WebAudioError}. */
export function microphoneError(error: unknown): WebAudioError {
  if (WebAudioError.isWebAudioError(error)) return error;
  const name = (error as { name?: unknown } | null)?.name;
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new WebAudioError('permission_denied', `Microphone permission denied: ${detail}`, {
        cause: error,
      });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new WebAudioError('device_not_found', `No matching microphone: ${detail}`, { cause: error });
    default:
      return new WebAudioError('device_unavailable', `Microphone could not be opened: ${detail}`, {
        cause: error,
      });
  }
}
