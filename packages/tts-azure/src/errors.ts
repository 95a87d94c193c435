import { voxErrorFromCancellation } from '@voxduplex/azure-common';
import type { VoxError } from '@voxduplex/core';
import type { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';

/** Error source of this package. */
export const TTS_SOURCE = 'tts:azure';

/**
 * Maps a canceled synthesis into a {@link VoxError}: a refused key (401) is a `ProviderAuthError`,
 * 429 a `ProviderQuotaError`, a dropped socket a retryable `ProviderUnavailableError` (see
 * `@voxduplex/azure-common`).
 */
export function voxErrorFromSynthesisCancellation(code: CancellationErrorCode, details: string): VoxError {
  return voxErrorFromCancellation(code, details, { operation: 'synthesis', source: TTS_SOURCE });
}
