import { preferNpmWebSocket } from '@voxduplex/azure-common';
import {
  ConfigError,
  ProviderTimeoutError,
  type TtsChunk,
  type TtsProvider,
  type TtsRequestOptions,
  toVoxError,
  type VoxError,
} from '@voxduplex/core';
import {
  CancellationDetails,
  ResultReason,
  SpeechConfig,
  SpeechSynthesisOutputFormat,
  SpeechSynthesizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { Observable, type Subscriber } from 'rxjs';
import { TTS_SOURCE, voxErrorFromSynthesisCancellation } from './errors';
import { type AzureTtsOptions, azureTtsOptionsSchema, type ResolvedAzureTtsOptions } from './options';
import { buildSsml } from './ssml';
import { WordTimings } from './word-timings';

const TICKS_PER_MS = 10_000;

/**
 * Azure Speech synthesis as a {@link TtsProvider}: raw 16-bit mono PCM at 16 or 24 kHz, streamed
 * from the SDK's `synthesizing` events as it arrives, with Azure's word boundaries passed on as
 * `words` timings. Each subscription opens one synthesizer; unsubscribing closes it.
 *
 * @example
 * ```ts
 * const tts = new AzureTts({ key: process.env.AZURE_SPEECH_KEY, region: 'westeurope', voice: 'en-US-JennyNeural' });
 * tts.synthesize('Hello there.').subscribe((chunk) => speaker.write(chunk.samples));
 * ```
 */
export class AzureTts implements TtsProvider {
  readonly specificationVersion = 'v1';
  readonly name = 'azure';
  readonly sampleRate: number;
  readonly #options: ResolvedAzureTtsOptions;
  #token: string | undefined;
  #tokenAt = 0;

  /** Throws a {@link ConfigError} listing every invalid option. */
  constructor(options: AzureTtsOptions) {
    const parsed = azureTtsOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        'Invalid Azure TTS options',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    this.#options = parsed.data;
    this.sampleRate = parsed.data.sampleRate;
    // The global WebSocket would hide a refused key's 401: it would look like an outage.
    preferNpmWebSocket();
    this.#token = parsed.data.authorizationToken;
    if (this.#token !== undefined) this.#tokenAt = Date.now();
  }

  synthesize(text: string, options: TtsRequestOptions = {}): Observable<TtsChunk> {
    return new Observable<TtsChunk>((subscriber) => {
      if (text.trim() === '') {
        subscriber.complete();
        return undefined;
      }
      const run = new SynthesisRun(this.#options, subscriber);
      this.#currentToken().then(
        (token) =>
          run.start(
            buildSsml(
              text,
              options.voice ?? this.#options.voice,
              options.speakingRate ?? this.#options.speakingRate,
              this.#options.language,
            ),
            token,
          ),
        (error: unknown) => run.fail(toVoxError(error, TTS_SOURCE)),
      );
      return () => run.close();
    });
  }

  async #currentToken(): Promise<string | undefined> {
    const refresh = this.#options.refreshToken;
    if (
      refresh &&
      (this.#token === undefined || Date.now() - this.#tokenAt >= this.#options.tokenRefreshIntervalMs)
    ) {
      this.#token = await refresh();
      this.#tokenAt = Date.now();
    }
    return this.#token;
  }
}

/** One `synthesize` subscription: its synthesizer, timeouts and word bookkeeping. */
class SynthesisRun {
  readonly #words = new WordTimings();
  #synthesizer: SpeechSynthesizer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #emittedMs = 0;
  #carry: number | undefined;
  #isClosed = false;

  constructor(
    private readonly options: ResolvedAzureTtsOptions,
    private readonly subscriber: Subscriber<TtsChunk>,
  ) {}

  start(ssml: string, token: string | undefined): void {
    if (this.#isClosed) return;
    let synthesizer: SpeechSynthesizer;
    try {
      synthesizer = new SpeechSynthesizer(this.#speechConfig(token), null as never);
    } catch (error) {
      this.fail(toVoxError(error, TTS_SOURCE));
      return;
    }
    this.#synthesizer = synthesizer;
    synthesizer.wordBoundary = (_sender, event) => {
      this.#words.add({
        word: event.text,
        startMs: event.audioOffset / TICKS_PER_MS,
        durationMs: event.duration / TICKS_PER_MS,
      });
    };
    synthesizer.synthesizing = (_sender, event) => this.#onAudio(event.result.audioData);
    this.#armTimer(this.options.firstChunkTimeoutMs, 'first audio');
    synthesizer.speakSsmlAsync(
      ssml,
      (result) => {
        if (this.#isClosed) return;
        if (result.reason === ResultReason.SynthesizingAudioCompleted) this.#complete();
        else {
          const details = CancellationDetails.fromResult(result);
          this.fail(voxErrorFromSynthesisCancellation(details.ErrorCode, details.errorDetails));
        }
      },
      (error) => this.fail(toVoxError(error, TTS_SOURCE)),
    );
  }

  /** Closes the synthesizer (and its socket). Idempotent. */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    clearTimeout(this.#timer);
    const synthesizer = this.#synthesizer;
    this.#synthesizer = undefined;
    try {
      synthesizer?.close();
    } catch {
      // Already disposed by the SDK.
    }
  }

  fail(error: VoxError): void {
    if (this.#isClosed) return;
    this.close();
    this.subscriber.error(error);
  }

  #complete(): void {
    const words = this.#words.takeAll();
    if (words)
      this.subscriber.next({ samples: new Int16Array(0), sampleRate: this.options.sampleRate, words });
    this.close();
    this.subscriber.complete();
  }

  #onAudio(audio: ArrayBuffer): void {
    if (this.#isClosed) return;
    this.#armTimer(this.options.idleTimeoutMs, 'more audio');
    let bytes = new Uint8Array(audio);
    if (this.#carry !== undefined) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.#carry;
      joined.set(bytes, 1);
      bytes = joined;
      this.#carry = undefined;
    }
    if (bytes.length % 2 === 1) {
      this.#carry = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length === 0) return;
    const samples = new Int16Array(bytes.slice().buffer);
    this.#emittedMs += (samples.length / this.options.sampleRate) * 1000;
    const words = this.#words.takeUntil(this.#emittedMs);
    const chunk: TtsChunk = words
      ? { samples, sampleRate: this.options.sampleRate, words }
      : { samples, sampleRate: this.options.sampleRate };
    this.subscriber.next(chunk);
  }

  #armTimer(ms: number, waitingFor: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () =>
        this.fail(
          new ProviderTimeoutError(`Azure TTS sent no ${waitingFor} within ${ms} ms`, { source: TTS_SOURCE }),
        ),
      ms,
    );
  }

  #speechConfig(token: string | undefined): SpeechConfig {
    const { options } = this;
    const key = token === undefined ? options.key : undefined;
    let config: SpeechConfig;
    if (options.host !== undefined) config = SpeechConfig.fromHost(new URL(options.host), key);
    else if (token !== undefined) config = SpeechConfig.fromAuthorizationToken(token, options.region!);
    else config = SpeechConfig.fromSubscription(options.key!, options.region!);
    if (token !== undefined) config.authorizationToken = token;
    config.speechSynthesisOutputFormat =
      options.sampleRate === 16000
        ? SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm
        : SpeechSynthesisOutputFormat.Raw24Khz16BitMonoPcm;
    return config;
  }
}
