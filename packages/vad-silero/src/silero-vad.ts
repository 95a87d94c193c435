import { type AudioFrame, toVoxError, type VadEvent, type VadProvider } from '@voxduplex/core';
import { Observable } from 'rxjs';
import { checkFrameFormat, SILERO_SAMPLE_RATE } from './frame-format';
import { type ResolvedSileroVadOptions, resolveSileroVadOptions, type SileroVadOptions } from './options';
import { bundledModelPath, SileroModel, WINDOW_SAMPLES } from './silero-model';
import { SpeechGate } from './speech-gate';

const WINDOW_MS = (WINDOW_SAMPLES / SILERO_SAMPLE_RATE) * 1000;

/**
 * Voice activity detection with the Silero v5 model on `onnxruntime-node` (one intra-op thread,
 * ≈ 0.1 ms per 32 ms window). Robust to noise; silent on tones and music.
 *
 * Frames of any length are cut into 512-sample windows; the model's recurrent state carries
 * across windows. Events carry the probability that decided them and times on the frames'
 * audio timeline. All streams share one ONNX session per model file (loaded on the first
 * subscription, released when the last stream closes); each stream has its own state.
 * Input must be 16 kHz mono Int16, else the stream errors with an `AudioFormatError`.
 *
 * @example
 * ```ts
 * const vad = new SileroVad({ minSilenceMs: 300 });
 * vad.detect(microphone$).subscribe((e) => console.log(e.type, e.atMs, e.probability));
 * ```
 */
export class SileroVad implements VadProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'silero';
  readonly sampleRate = SILERO_SAMPLE_RATE;
  /** The options with their defaults filled in. */
  readonly options: ResolvedSileroVadOptions;

  /** @throws ConfigError when an option is out of range. */
  constructor(options: SileroVadOptions = {}) {
    this.options = resolveSileroVadOptions(options);
  }

  detect(audio$: Observable<AudioFrame>): Observable<VadEvent> {
    return new Observable<VadEvent>((subscriber) => {
      let isClosed = false;
      let model: SileroModel | undefined;
      const gate = new SpeechGate(this.options);
      const window = new Float32Array(WINDOW_SAMPLES);
      let windowFill = 0;
      let windowStartMs = 0;
      let lastProbability = 0;
      let audioEndMs = 0;

      const fail = (error: unknown) => {
        if (isClosed) return;
        isClosed = true;
        subscriber.error(toVoxError(error, 'vad:silero'));
      };
      // Windows cut before the model is ready; sent, in order, as soon as it is.
      const unsent: { samples: Float32Array<ArrayBuffer>; settle: (scored: Promise<number>) => void }[] = [];
      // The gate's steps are chained on one promise: results are taken in window order.
      let chain: Promise<void> = SileroModel.open(this.options.modelPath ?? bundledModelPath())
        .then((opened) => {
          model = opened;
          for (const { samples, settle } of unsent.splice(0)) settle(opened.probability(samples));
        })
        .catch(fail);
      const enqueue = (step: (m: SileroModel) => Promise<void> | void) => {
        chain = chain.then(() => (isClosed || !model ? undefined : step(model))).catch(fail);
      };

      // Sent to the model at once (it scores a stream's windows in order), so windows do not
      // wait for one another's round trip; the gate takes the results in order.
      const scoreWindow = (samples: Float32Array<ArrayBuffer>, startMs: number) => {
        const scored = model
          ? model.probability(samples)
          : new Promise<number>((resolve, reject) =>
              unsent.push({ samples, settle: (result) => result.then(resolve, reject) }),
            );
        scored.catch(() => {}); // its failure reaches the chain below
        enqueue(async () => {
          lastProbability = await scored;
          if (isClosed) return;
          const event = gate.push(lastProbability, startMs, startMs + WINDOW_MS);
          if (event) subscriber.next(event);
        });
      };

      const subscription = audio$.subscribe({
        next: (frame) => {
          if (isClosed) return;
          try {
            checkFrameFormat(frame);
          } catch (error) {
            fail(error);
            return;
          }
          for (let i = 0; i < frame.samples.length; i++) {
            if (windowFill === 0) windowStartMs = frame.startMs + (i / SILERO_SAMPLE_RATE) * 1000;
            window[windowFill++] = frame.samples[i]! / 32768;
            if (windowFill === WINDOW_SAMPLES) {
              const samples = new Float32Array(window);
              const startMs = windowStartMs;
              scoreWindow(samples, startMs);
              windowFill = 0;
            }
          }
          audioEndMs = Math.max(
            audioEndMs,
            frame.startMs + (frame.samples.length / SILERO_SAMPLE_RATE) * 1000,
          );
        },
        error: fail,
        complete: () =>
          enqueue(async (m) => {
            // A last partial window is too short to score; open speech ends with the audio.
            const event = gate.flush(audioEndMs, lastProbability);
            if (event) subscriber.next(event);
            // Released before completing, so a completed stream holds no share of the session.
            await m.close();
            if (isClosed) return;
            isClosed = true;
            subscriber.complete();
          }),
      });

      return () => {
        isClosed = true;
        subscription.unsubscribe();
        void chain.then(() => model?.close()).catch(() => undefined);
      };
    });
  }
}
