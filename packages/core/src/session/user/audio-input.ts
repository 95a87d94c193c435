import { type AudioFrame, audioFrameDurationMs } from '../../frames/audio';
import type { AudioInput } from '../voice-session';

/** Why this input cannot go to a recognizer wanting mono Int16 at `sampleRate`, or undefined. */
export function audioInputProblem(input: AudioInput, sampleRate: number): string | undefined {
  if (!(input?.samples instanceof Int16Array)) return 'audio samples must be an Int16Array of PCM';
  if (input.sampleRate !== sampleRate)
    return `audio at ${input.sampleRate} Hz, the recognizer needs ${sampleRate} Hz`;
  if ((input.channels ?? 1) !== 1) return 'audio must be mono';
  return undefined;
}

/**
 * Places input on the session's audio timeline: a full frame keeps its `startMs`; bare samples
 * start where the previous audio ended. Returns the frame and the new end of the timeline.
 */
export function placeOnTimeline(
  input: AudioInput,
  timelineEndMs: number,
): { frame: AudioFrame; endMs: number } {
  const frame: AudioFrame =
    'startMs' in input
      ? input
      : {
          samples: input.samples,
          sampleRate: input.sampleRate,
          channels: input.channels ?? 1,
          startMs: timelineEndMs,
        };
  return { frame, endMs: Math.max(timelineEndMs, frame.startMs + audioFrameDurationMs(frame)) };
}
