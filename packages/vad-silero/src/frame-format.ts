import { AudioFormatError, type AudioFrame } from '@voxduplex/core';

/** The rate the bundled Silero model runs at. */
export const SILERO_SAMPLE_RATE = 16000;

/** Checks one frame is 16 kHz mono Int16 with a finite `startMs`; else an {@link AudioFormatError}. */
export function checkFrameFormat(frame: AudioFrame): void {
  const problem = describeProblem(frame);
  if (problem)
    throw new AudioFormatError(`Silero VAD needs 16 kHz mono Int16 frames: ${problem}`, {
      source: 'vad:silero',
    });
}

function describeProblem(frame: AudioFrame): string | undefined {
  if (typeof frame !== 'object' || frame === null) return 'a frame must be an object';
  if (!(frame.samples instanceof Int16Array)) return 'samples must be an Int16Array';
  if (frame.sampleRate !== SILERO_SAMPLE_RATE) return `got sampleRate ${String(frame.sampleRate)}`;
  if (frame.channels !== 1) return `got ${String(frame.channels)} channels`;
  if (!Number.isFinite(frame.startMs) || frame.startMs < 0) return `got startMs ${String(frame.startMs)}`;
  return undefined;
}
