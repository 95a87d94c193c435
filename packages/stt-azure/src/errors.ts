import { voxErrorFromCancellation as mapCancellation } from '@voxduplex/azure-common';
import type { VoxError } from '@voxduplex/core';
import type { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';

const SOURCE = 'stt:azure';

/** Maps a canceled recognition into a {@link VoxError} (see `@voxduplex/azure-common`). */
export function voxErrorFromCancellation(code: CancellationErrorCode, details: string): VoxError {
  return mapCancellation(code, details, { operation: 'recognition', source: SOURCE });
}

export { SOURCE as STT_SOURCE };
