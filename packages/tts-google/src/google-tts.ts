import { TextToSpeechClient } from '@google-cloud/text-to-speech';
import {
  ConfigError,
  ProviderRequestError,
  type TtsChunk,
  type TtsProvider,
  type TtsRequestOptions,
} from '@voxduplex/core';
import { googleClientOptions, grpcCode, voxErrorFromGrpc } from '@voxduplex/google-common';
import { Observable, type Subscriber } from 'rxjs';
import { type GoogleTtsOptions, googleTtsOptionsSchema } from './options';
import { PcmAssembler, pcmFromWav } from './pcm';

const SOURCE = 'tts:google';
const DEFAULT_VOICE = 'en-US-Chirp3-HD-Charon';

/** Voices Google serves over `StreamingSynthesize` (others answer INVALID_ARGUMENT). */
export function isStreamingVoice(voice: string): boolean {
  return /Chirp3-HD|Chirp-HD|Journey/i.test(voice);
}

interface SynthesisStream {
  write(request: unknown): boolean;
  end(): void;
  cancel(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeAllListeners(): unknown;
}

interface Voice {
  readonly name: string;
  readonly languageCode: string;
  readonly speakingRate: number;
}

/**
 * Google Cloud Text-to-Speech (v1) as a voxduplex {@link TtsProvider}: `StreamingSynthesize` with
 * headerless PCM at an explicit sample rate for voices that stream, unary `SynthesizeSpeech`
 * (LINEAR16, WAV header removed) for the others. Chunks are mono Int16 at {@link sampleRate}.
 * Unsubscribing cancels the gRPC call. Call {@link close} when done (it owns the client).
 *
 * @example
 * ```ts
 * const tts = new GoogleTts({ voice: 'en-US-Chirp3-HD-Charon', sampleRate: 24000 });
 * tts.synthesize('Hello there.').subscribe((chunk) => speaker.write(chunk.samples));
 * ```
 */
export class GoogleTts implements TtsProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'google';
  readonly sampleRate: number;
  readonly #voice: string;
  readonly #language: string | undefined;
  readonly #speakingRate: number;
  readonly #streaming: 'auto' | 'always' | 'never';
  readonly #requestTimeoutMs: number;
  readonly #createClient: () => TextToSpeechClient;
  /** Voices the service refused to stream: unary from then on. */
  readonly #unaryVoices = new Set<string>();
  #client: TextToSpeechClient | undefined;

  /** Throws a {@link ConfigError} listing every invalid option. */
  constructor(options: GoogleTtsOptions = {}, client?: TextToSpeechClient) {
    const parsed = googleTtsOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        'Invalid options for the Google TTS adapter',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    const o = parsed.data;
    this.sampleRate = o.sampleRate ?? 24000;
    this.#voice = o.voice ?? DEFAULT_VOICE;
    this.#language = o.language;
    this.#speakingRate = o.speakingRate ?? 1;
    this.#streaming = o.streaming ?? 'auto';
    this.#requestTimeoutMs = o.requestTimeoutMs ?? 30_000;
    this.#client = client;
    this.#createClient = () => new TextToSpeechClient(googleClientOptions(o));
  }

  synthesize(text: string, options: TtsRequestOptions = {}): Observable<TtsChunk> {
    return new Observable<TtsChunk>((subscriber) => {
      if (typeof text !== 'string') {
        subscriber.error(new ProviderRequestError('Google TTS: text must be a string', { source: SOURCE }));
        return;
      }
      if (text.trim().length === 0) {
        subscriber.complete();
        return;
      }
      const voice = this.#voiceFor(options);
      let teardown: () => void;
      const unary = () => {
        teardown = this.#unary(text, voice, subscriber);
      };
      if (this.#streams(voice.name)) {
        teardown = this.#stream([text], voice, subscriber, (error) => {
          // The voice turned out not to stream: remember it and answer with the unary call instead.
          if (this.#streaming === 'auto' && grpcCode(error) === 3) {
            this.#unaryVoices.add(voice.name);
            unary();
          } else subscriber.error(voxErrorFromGrpc(error, SOURCE));
        });
      } else unary();
      return () => teardown();
    });
  }

  /**
   * One `StreamingSynthesize` call for a stream of texts (e.g. sentences as an LLM writes them): the
   * audio comes back as one continuous stream of chunks. Needs a voice that streams.
   *
   * Google-specific (not part of `TtsProvider`): the chunks do not say which sentence they
   * speak, so a session using it as its `speech` stage
   * (`speech: (s$) => tts.synthesizeStream(s$.pipe(map((s) => s.text)))`) attributes each
   * chunk to the latest sentence sent, and heard text after an interrupt is only approximate.
   */
  synthesizeStream(text$: Observable<string>, options: TtsRequestOptions = {}): Observable<TtsChunk> {
    return new Observable<TtsChunk>((subscriber) => {
      const voice = this.#voiceFor(options);
      const texts: string[] = [];
      let write: ((text: string) => void) | undefined;
      let end: (() => void) | undefined;
      let teardownCall: (() => void) | undefined;
      const input = text$.subscribe({
        next: (text) => {
          if (text.trim().length === 0) return;
          if (write) write(text);
          else {
            texts.push(text);
            const call = this.#open(voice, subscriber, (error) =>
              subscriber.error(voxErrorFromGrpc(error, SOURCE)),
            );
            teardownCall = call.cancel;
            write = call.write;
            end = call.end;
            for (const queued of texts.splice(0)) write(queued);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => (end ? end() : subscriber.complete()),
      });
      return () => {
        input.unsubscribe();
        teardownCall?.();
      };
    });
  }

  /** Closes the gRPC client (and its channel). */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  #voiceFor(options: TtsRequestOptions): Voice {
    const name = options.voice ?? this.#voice;
    return {
      name,
      languageCode: this.#language ?? name.split('-').slice(0, 2).join('-'),
      speakingRate: options.speakingRate ?? this.#speakingRate,
    };
  }

  #streams(voice: string): boolean {
    if (this.#streaming !== 'auto') return this.#streaming === 'always';
    return isStreamingVoice(voice) && !this.#unaryVoices.has(voice);
  }

  #ttsClient(): TextToSpeechClient {
    this.#client ??= this.#createClient();
    return this.#client;
  }

  #stream(
    texts: readonly string[],
    voice: Voice,
    subscriber: Subscriber<TtsChunk>,
    onRefused: (error: unknown) => void,
  ): () => void {
    const call = this.#open(voice, subscriber, onRefused);
    for (const text of texts) call.write(text);
    call.end();
    return call.cancel;
  }

  /**
   * Opens a `StreamingSynthesize` call. `onFailure` hears an error that came before any audio (so a
   * caller may still fall back); later errors go to the subscriber.
   */
  #open(voice: Voice, subscriber: Subscriber<TtsChunk>, onFailure: (error: unknown) => void) {
    const stream = this.#ttsClient().streamingSynthesize() as unknown as SynthesisStream;
    const assembler = new PcmAssembler();
    let hasAudio = false;
    let isOver = false;
    const detach = () => {
      isOver = true;
      stream.removeAllListeners();
      stream.on('error', () => {}); // the cancel surfaces as a CANCELLED error
    };
    stream.on('data', (response: { audioContent?: Uint8Array | null }) => {
      const samples = assembler.push(response.audioContent ?? new Uint8Array(0));
      if (samples.length === 0) return;
      hasAudio = true;
      subscriber.next({ samples, sampleRate: this.sampleRate, channels: 1 });
    });
    stream.on('error', (error: unknown) => {
      detach();
      if (hasAudio) subscriber.error(voxErrorFromGrpc(error, SOURCE));
      else onFailure(error);
    });
    stream.on('end', () => {
      detach();
      subscriber.complete();
    });
    stream.write({
      streamingConfig: {
        voice: { name: voice.name, languageCode: voice.languageCode },
        streamingAudioConfig: {
          audioEncoding: 'PCM',
          sampleRateHertz: this.sampleRate,
          ...(voice.speakingRate === 1 ? {} : { speakingRate: voice.speakingRate }),
        },
      },
    });
    return {
      write: (text: string) => {
        if (!isOver) stream.write({ input: { text } });
      },
      end: () => {
        if (!isOver) stream.end();
      },
      cancel: () => {
        if (isOver) return;
        detach();
        stream.cancel();
      },
    };
  }

  #unary(text: string, voice: Voice, subscriber: Subscriber<TtsChunk>): () => void {
    const abort = new AbortController();
    this.#ttsClient()
      // No retry inside the client: its default retries UNAVAILABLE for up to 10 minutes.
      .synthesizeSpeech(
        {
          input: { text },
          voice: { name: voice.name, languageCode: voice.languageCode },
          audioConfig: {
            audioEncoding: 'LINEAR16',
            sampleRateHertz: this.sampleRate,
            ...(voice.speakingRate === 1 ? {} : { speakingRate: voice.speakingRate }),
          },
        },
        { signal: abort.signal, retry: null, timeout: this.#requestTimeoutMs },
      )
      .then(
        ([response]) => {
          if (abort.signal.aborted) return;
          const { pcm } = pcmFromWav((response.audioContent as Uint8Array | null) ?? new Uint8Array(0));
          const samples = new PcmAssembler().push(pcm);
          if (samples.length > 0) subscriber.next({ samples, sampleRate: this.sampleRate, channels: 1 });
          subscriber.complete();
        },
        (error: unknown) => {
          if (!abort.signal.aborted) subscriber.error(voxErrorFromGrpc(error, SOURCE));
        },
      )
      .catch((error: unknown) => subscriber.error(error));
    return () => abort.abort();
  }
}
