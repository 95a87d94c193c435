import {
  AudioFormatError,
  type AudioFrame,
  type AudioInContext,
  defaultStages,
  type PipelineStage,
  toVoxError,
} from '@voxduplex/core';
import { Observable } from 'rxjs';
import { NoiseSuppressor } from './noise-suppressor';
import { RnnoiseWasm } from './rnnoise/rnnoise-wasm';

/** Options of {@link suppressNoise}. */
export interface SuppressNoiseOptions {
  /** The RNNoise module (`loadNodeRnnoise()` on Node); a promise is awaited, frames wait meanwhile. */
  readonly rnnoise: RnnoiseWasm | PromiseLike<RnnoiseWasm>;
  /** Each frame's RNNoise voice probability (of its last 10 ms), e.g. for a meter. */
  readonly onVoiceProbability?: (probability: number, frame: AudioFrame) => void;
  /**
   * What runs on the denoised frames next. Default `defaultStages.audioIn`: the session's echo
   * gate keeps working (it compares the mic with the agent's played audio, and finds the 13 ms
   * this stage adds by itself). `false`: nothing, the denoised frames go straight to STT and VAD.
   */
  readonly next?: PipelineStage<AudioFrame, AudioFrame, AudioInContext> | false;
}

/**
 * An `audioIn` stage that removes steady background noise (fans, hiss, hum, a café's murmur)
 * from the microphone before the recognizer and the VAD hear it, with RNNoise. Frames keep their
 * length, rate and `startMs`; the sound in them is 13 ms (at 16 kHz) later than it was.
 * Each session gets its own RNNoise state, freed when the stage is unsubscribed (session closed
 * or suspended); all sessions of a process share one wasm instance.
 *
 * @example
 * ```ts
 * import { loadNodeRnnoise } from '@voxduplex/noise-suppression/node';
 * createVoiceSession({ ...providers, pipeline: { audioIn: suppressNoise({ rnnoise: loadNodeRnnoise() }) } });
 * ```
 */
export function suppressNoise(
  options: SuppressNoiseOptions,
): PipelineStage<AudioFrame, AudioFrame, AudioInContext> {
  const next = options.next ?? defaultStages.audioIn;
  return (frames$, context) => {
    const denoised$ = denoise(frames$, options);
    return next === false ? denoised$ : next(denoised$, context);
  };
}

/** The frames with RNNoise applied; its state lives as long as the subscription. */
function denoise(frames$: Observable<AudioFrame>, options: SuppressNoiseOptions): Observable<AudioFrame> {
  return new Observable<AudioFrame>((subscriber) => {
    let suppressor: NoiseSuppressor | undefined;
    // Given ready, it is used at once: the first frames are not held back a tick.
    let wasm = options.rnnoise instanceof RnnoiseWasm ? options.rnnoise : undefined;
    let isClosed = false;
    /** The input ended while RNNoise was still loading: complete once the frames are out. */
    let hasEnded = false;
    const waiting: AudioFrame[] = [];

    const clean = (frame: AudioFrame): AudioFrame => {
      if ((frame.channels ?? 1) !== 1)
        throw new AudioFormatError(`noise suppression takes mono audio, got ${frame.channels} channels`, {
          source: 'pipeline:audioIn',
        });
      if (suppressor?.sampleRate !== frame.sampleRate) {
        suppressor?.close();
        suppressor = new NoiseSuppressor(wasm!, { sampleRate: frame.sampleRate });
      }
      const samples = suppressor.processInt16(frame.samples);
      options.onVoiceProbability?.(suppressor.voiceProbability, frame);
      return { ...frame, samples };
    };
    const emit = (frame: AudioFrame) => {
      try {
        subscriber.next(clean(frame));
      } catch (error) {
        subscriber.error(toVoxError(error, 'pipeline:audioIn'));
      }
    };

    if (!wasm)
      Promise.resolve(options.rnnoise).then(
        (loaded) => {
          if (isClosed) return;
          wasm = loaded;
          for (const frame of waiting.splice(0)) emit(frame);
          if (hasEnded) subscriber.complete();
        },
        (error: unknown) => subscriber.error(toVoxError(error, 'pipeline:audioIn')),
      );
    const subscription = frames$.subscribe({
      next: (frame) => (wasm ? emit(frame) : waiting.push(frame)),
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        if (wasm) subscriber.complete();
        else hasEnded = true;
      },
    });
    return () => {
      isClosed = true;
      subscription.unsubscribe();
      suppressor?.close();
    };
  });
}
