import type { AudioFrame, AudioInContext, PipelineStage } from '@voxduplex/core';
import { defer, map } from 'rxjs';

/** Options of {@link removeDc}. */
export interface RemoveDcOptions {
  /** Frequencies well below this are removed, Hz; default 20 (below the voice, above a DC offset). */
  readonly cutoffHz?: number;
}

/**
 * Recipe 4, an `audioIn` stage: a high-pass (DC-blocking) filter on the microphone's frames
 * before VAD and STT. Cheap microphones and some sound cards add a constant offset to the
 * signal; it wastes headroom and can fool energy-based detectors. This is the classic one-pole
 * DC blocker, `y[n] = x[n] − x[n−1] + r·y[n−1]`, with its state carried from frame to frame
 * (one filter per subscription, so a restarted stage starts clean).
 *
 * Frames must be mono Int16, as the session's recognizer takes them; the output is rounded
 * and clipped to Int16. The input frames are not modified.
 *
 * ```
 * frames:  --[DC 4000 + sine]--[DC 4000 + sine]--…
 * removeDc()
 * output:  --[sine, settling]--[sine]------------…     (settles in ≈ 10 ms at 20 Hz)
 * ```
 *
 * @example
 * ```ts
 * createVoiceSession({ stt, llm, tts, pipeline: { audioIn: removeDc() } });
 * ```
 */
export function removeDc(
  options: RemoveDcOptions = {},
): PipelineStage<AudioFrame, AudioFrame, AudioInContext> {
  const cutoffHz = options.cutoffHz ?? 20;
  return (frames$) =>
    defer(() => {
      let previousIn: number | undefined;
      let previousOut = 0;
      return frames$.pipe(
        map((frame) => {
          const r = Math.exp((-2 * Math.PI * cutoffHz) / frame.sampleRate);
          const samples = new Int16Array(frame.samples.length);
          for (let i = 0; i < samples.length; i++) {
            const x = frame.samples[i]!;
            // Starting from the first sample (not from 0) avoids a click when the offset is large.
            const y = x - (previousIn ?? x) + r * previousOut;
            previousIn = x;
            previousOut = y;
            samples[i] = Math.max(-32768, Math.min(32767, Math.round(y)));
          }
          return { ...frame, samples };
        }),
      );
    });
}
