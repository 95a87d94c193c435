import { SpeechClient } from '@google-cloud/speech';
import {
  AudioFormatError,
  type AudioFrame,
  ConfigError,
  type SttEvent,
  type SttProvider,
} from '@voxduplex/core';
import { googleClientOptions } from '@voxduplex/google-common';
import { Observable } from 'rxjs';
import {
  type GoogleSttOptions,
  googleSttOptionsSchema,
  type ResolvedSttOptions,
  resolveSttOptions,
} from './options';
import { Recognition, type RecognizeStream, type StreamOpenReason } from './recognition';

const SOURCE = 'stt:google';

/** Counters a caller can read to see what the adapter did (streams opened, rotations, retries). */
export interface GoogleSttStats {
  streamsOpened: number;
  rotations: number;
  restarts: number;
  retries: number;
  /** Audio re-sent into new streams, ms (capped per stream by `maxReplayMs`, per minute by `maxReplayPerMinuteMs`). */
  replayedMs: number;
  /** The part of `replayedMs` re-sent at rotations, ms. */
  rotationReplayedMs: number;
}

/**
 * Google Cloud Speech-to-Text (v1 `StreamingRecognize`) as a voxduplex {@link SttProvider}.
 *
 * Streams run endlessly: a stream is replaced before the service's 305 s limit (after
 * `rotateAfterMs` of audio, preferably right after a final) and after OUT_OF_RANGE, and audio no final
 * covers yet is replayed into the new one (at most `maxReplayMs` per stream, `maxReplayPerMinuteMs`
 * per minute); failures are retried by core's `RetryBudget` — interims do not refill it, so a service
 * that keeps failing after partial results ends in a `ProviderUnavailableError` with `attempts`. No
 * stream opens before the first frame; after `idleTimeoutMs` without audio the stream is ended and
 * reopened on the next frame, so the service's "Audio Timeout" never reaches the subscriber.
 * Unsubscribing cancels the call. Call {@link close} when done with the provider (it owns the client).
 *
 * @example
 * ```ts
 * const stt = new GoogleStt({ language: 'en-US', model: 'latest_long' });
 * stt.transcribe(microphone$).subscribe((e) => e.type === 'final' && console.log(e.transcript.text));
 * ```
 */
export class GoogleStt implements SttProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'google';
  readonly sampleRate: number;
  readonly stats: GoogleSttStats = {
    streamsOpened: 0,
    rotations: 0,
    restarts: 0,
    retries: 0,
    replayedMs: 0,
    rotationReplayedMs: 0,
  };
  readonly #options: ResolvedSttOptions;
  readonly #streamingConfig: unknown;
  readonly #createClient: () => SpeechClient;
  #client: SpeechClient | undefined;

  /** Throws a {@link ConfigError} listing every invalid option. */
  constructor(options: GoogleSttOptions = {}, client?: SpeechClient) {
    const parsed = googleSttOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        'Invalid options for the Google STT adapter',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    this.#options = resolveSttOptions(parsed.data);
    this.sampleRate = this.#options.sampleRate;
    this.#streamingConfig = streamingConfig(this.#options);
    this.#client = client;
    this.#createClient = () => new SpeechClient(googleClientOptions(parsed.data));
  }

  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent> {
    return new Observable<SttEvent>((subscriber) => {
      const recognition = new Recognition({
        options: this.#options,
        streamingConfig: this.#streamingConfig,
        source: SOURCE,
        openStream: () => this.#speechClient()._streamingRecognize() as unknown as RecognizeStream,
        emit: (event) => subscriber.next(event),
        fail: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
        onStreamOpened: (reason, replayMs) => this.#count(reason, replayMs),
      });
      const input = audio$.subscribe({
        next: (frame) => {
          const problem = frameProblem(frame, this.sampleRate);
          if (problem === undefined) {
            recognition.push(frame);
            return;
          }
          recognition.dispose();
          subscriber.error(new AudioFormatError(`Google STT: ${problem}`, { source: SOURCE }));
        },
        error: (error: unknown) => {
          recognition.dispose();
          subscriber.error(error);
        },
        complete: () => recognition.endOfAudio(),
      });
      return () => {
        input.unsubscribe();
        recognition.dispose();
      };
    });
  }

  /** Closes the gRPC client (and its channel). Streams still open are cut. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  #speechClient(): SpeechClient {
    this.#client ??= this.#createClient();
    return this.#client;
  }

  #count(reason: StreamOpenReason, replayMs: number): void {
    this.stats.streamsOpened++;
    this.stats.replayedMs += replayMs;
    if (reason === 'rotation') {
      this.stats.rotations++;
      this.stats.rotationReplayedMs += replayMs;
    } else if (reason === 'restart') this.stats.restarts++;
    else if (reason === 'retry') this.stats.retries++;
  }
}

function frameProblem(frame: AudioFrame, sampleRate: number): string | undefined {
  if (!(frame?.samples instanceof Int16Array)) return 'frame samples must be an Int16Array';
  if (frame.sampleRate !== sampleRate) return `expected ${sampleRate} Hz audio, got ${frame.sampleRate} Hz`;
  if (frame.channels !== 1) return `expected mono audio, got ${frame.channels} channels`;
  if (!Number.isFinite(frame.startMs) || frame.startMs < 0) return `bad frame startMs ${frame.startMs}`;
  return undefined;
}

function streamingConfig(options: ResolvedSttOptions): unknown {
  return {
    config: {
      encoding: 'LINEAR16',
      sampleRateHertz: options.sampleRate,
      audioChannelCount: 1,
      languageCode: options.language,
      enableAutomaticPunctuation: options.punctuation,
      enableWordTimeOffsets: true,
      ...(options.model ? { model: options.model } : {}),
      ...(options.phraseHints.length > 0
        ? {
            speechContexts: [
              {
                phrases: options.phraseHints,
                ...(options.phraseBoost === undefined ? {} : { boost: options.phraseBoost }),
              },
            ],
          }
        : {}),
    },
    interimResults: options.interimResults,
    enableVoiceActivityEvents: options.voiceActivityEvents,
  };
}
