import { AudioFormatError, type AudioFrame } from '@voxduplex/core';

/** The only input PocketSphinx's en-US model accepts. */
export const POCKETSPHINX_SAMPLE_RATE = 16000;

/**
 * Checks one frame against what the decoder accepts: 16 kHz, mono, `Int16Array` samples and a
 * finite `startMs`. Any other frame is an {@link AudioFormatError} naming what was wrong.
 */
export function checkFrameFormat(frame: AudioFrame): void {
  const problem = describeProblem(frame);
  if (problem)
    throw new AudioFormatError(`PocketSphinx needs 16 kHz mono Int16 frames: ${problem}`, {
      source: 'stt:pocketsphinx',
    });
}

function describeProblem(frame: AudioFrame): string | undefined {
  if (typeof frame !== 'object' || frame === null) return 'a frame must be an object';
  if (!(frame.samples instanceof Int16Array)) return 'samples must be an Int16Array';
  if (frame.sampleRate !== POCKETSPHINX_SAMPLE_RATE) return `got sampleRate ${String(frame.sampleRate)}`;
  if (frame.channels !== 1) return `got ${String(frame.channels)} channels`;
  if (!Number.isFinite(frame.startMs) || frame.startMs < 0) return `got startMs ${String(frame.startMs)}`;
  return undefined;
}
