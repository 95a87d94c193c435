import {
  type AudioFrame,
  ProviderUnavailableError,
  type SttEvent,
  type Transcript,
  type VoxError,
} from '@voxduplex/core';
import {
  AudioConfig,
  AudioInputStream,
  AudioStreamFormat,
  AutoDetectSourceLanguageConfig,
  AutoDetectSourceLanguageResult,
  CancellationErrorCode,
  CancellationReason,
  Connection,
  PhraseListGrammar,
  PropertyId,
  type PushAudioInputStream,
  ResultReason,
  type SpeechConfig,
  type SpeechRecognitionResult,
  SpeechRecognizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { STT_SOURCE, voxErrorFromCancellation } from './errors';
import type { ResolvedAzureSttOptions } from './options';
import { ReplayBuffer } from './replay-buffer';
import { RecognizerTimeline } from './timeline';

/** What a leg reports to the stream that owns it. */
export interface LegHandlers {
  onEvent(leg: RecognizerLeg, event: SttEvent): void;
  /** The service confirmed the end of this leg's audio (`canceled` EndOfStream / session stopped). */
  onEnd(leg: RecognizerLeg): void;
  onError(leg: RecognizerLeg, error: VoxError): void;
}

const TICKS_PER_MS = 10_000;

/**
 * One SDK recognizer and its push stream: the unit the adapter rotates and replaces.
 * Keeps its own unfinalized audio so a replacement can be fed it again.
 */
export class RecognizerLeg {
  readonly createdAt = Date.now();
  readonly timeline = new RecognizerTimeline();
  readonly unfinalized: ReplayBuffer;
  /** Events held back while an older leg still drains (keeps the order of finals). */
  readonly heldEvents: SttEvent[] = [];
  /** True between a speech start / interim and the next final. */
  isInSpeech = false;
  /** A `speech-start` went out and its `speech-end` has not. */
  hasOpenSpeechStart = false;
  /** End of the last final, on the session timeline. */
  lastFinalEndMs: number | undefined;
  isAudioClosed = false;
  readonly #push: PushAudioInputStream;
  readonly #recognizer: SpeechRecognizer;
  #isDisposed = false;
  #hasEnded = false;
  #disposal: Promise<void> | undefined;

  constructor(
    config: SpeechConfig,
    private readonly options: ResolvedAzureSttOptions,
    private readonly handlers: LegHandlers,
  ) {
    this.unfinalized = new ReplayBuffer(options.maxReplayMs);
    this.#push = AudioInputStream.createPushStream(AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
    const audio = AudioConfig.fromStreamInput(this.#push);
    this.#recognizer =
      options.languages === undefined
        ? new SpeechRecognizer(config, audio)
        : SpeechRecognizer.FromConfig(
            config,
            AutoDetectSourceLanguageConfig.fromLanguages(options.languages),
            audio,
          );
    if (options.phrases !== undefined && options.phrases.length > 0) {
      PhraseListGrammar.fromRecognizer(this.#recognizer).addPhrases(options.phrases);
    }
    this.#wire();
  }

  /** Opens the connection and starts continuous recognition. Failures arrive via `onError`. */
  start(): void {
    this.#recognizer.startContinuousRecognitionAsync(
      () => undefined,
      (reason) =>
        this.#fail(voxErrorFromCancellation(CancellationErrorCode.ConnectionFailure, String(reason))),
    );
  }

  /** Sends one frame (copied: the SDK keeps the buffer). */
  write(frame: AudioFrame): void {
    if (this.isAudioClosed || this.#isDisposed) return;
    const { samples } = frame;
    this.#push.write(
      samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength) as ArrayBuffer,
    );
    this.timeline.append(frame);
    this.unfinalized.push(frame);
  }

  /** No more audio for this leg: the service finalizes what it has, then the leg ends. */
  closeAudio(): void {
    if (this.isAudioClosed || this.#isDisposed) return;
    this.isAudioClosed = true;
    this.#push.close();
  }

  /** Replaces the bearer token on the live recognizer (used when it reconnects). */
  set authorizationToken(token: string) {
    if (!this.#isDisposed) this.#recognizer.authorizationToken = token;
  }

  /**
   * Stops recognition (bounded by `stopTimeoutMs`), then closes the push stream and the
   * recognizer. Idempotent; never rejects.
   */
  dispose(): Promise<void> {
    this.#disposal ??= this.#dispose();
    return this.#disposal;
  }

  async #dispose(): Promise<void> {
    this.#isDisposed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) =>
        this.#recognizer.stopContinuousRecognitionAsync(resolve, () => resolve()),
      ),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.stopTimeoutMs);
      }),
    ]).catch(() => undefined);
    clearTimeout(timer);
    try {
      if (!this.isAudioClosed) this.#push.close();
    } catch {
      // Already closed by the SDK.
    }
    this.isAudioClosed = true;
    await new Promise<void>((resolve) => {
      try {
        this.#recognizer.close(resolve, () => resolve());
      } catch {
        resolve();
      }
    });
  }

  #sessionMs(ticks: number): number {
    return this.timeline.toSessionMs(ticks / TICKS_PER_MS);
  }

  #transcript(result: SpeechRecognitionResult, isFinal: boolean): Transcript {
    const startMs = this.#sessionMs(result.offset);
    const endMs = this.#sessionMs(result.offset + result.duration);
    const language =
      this.options.languages === undefined
        ? this.options.language
        : (AutoDetectSourceLanguageResult.fromResult(result).language ?? this.options.language);
    const transcript: { -readonly [K in keyof Transcript]: Transcript[K] } = {
      text: result.text,
      isFinal,
      startMs,
      endMs,
      language,
    };
    if (isFinal && this.options.outputFormat === 'detailed') {
      const confidence = confidenceOf(
        result.properties.getProperty(PropertyId.SpeechServiceResponse_JsonResult),
      );
      if (confidence !== undefined) transcript.confidence = confidence;
    }
    return transcript;
  }

  #wire(): void {
    const recognizer = this.#recognizer;
    // The SDK reconnects by itself after a drop once a phrase was recognized (its retry counter
    // resets then, whatever SPEECH-Error-MaxRetryCount says), replaying audio in a tight loop that
    // can hold the event loop for seconds. We take the drop as this leg's failure instead; a
    // close the SDK cancels for (1007…) is classified by its own `canceled`, which comes first.
    Connection.fromRecognizer(recognizer).disconnected = () => {
      if (this.#isDisposed || this.#hasEnded) return;
      setTimeout(() => {
        this.#fail(new ProviderUnavailableError('Azure Speech connection dropped', { source: STT_SOURCE }));
      }, 0);
    };
    recognizer.speechStartDetected = (_sender, event) => {
      if (this.#isDisposed) return;
      this.isInSpeech = true;
      this.hasOpenSpeechStart = true;
      this.handlers.onEvent(this, { type: 'speech-start', atMs: this.#sessionMs(event.offset) });
    };
    recognizer.speechEndDetected = (_sender, event) => {
      if (this.#isDisposed) return;
      this.hasOpenSpeechStart = false;
      this.handlers.onEvent(this, { type: 'speech-end', atMs: this.#sessionMs(event.offset) });
    };
    recognizer.recognizing = (_sender, event) => {
      if (this.#isDisposed || event.result.text === '') return;
      this.isInSpeech = true;
      this.handlers.onEvent(this, { type: 'interim', transcript: this.#transcript(event.result, false) });
    };
    recognizer.recognized = (_sender, event) => {
      if (this.#isDisposed) return;
      const result = event.result;
      if (result.reason !== ResultReason.RecognizedSpeech || result.text === '') return;
      const transcript = this.#transcript(result, true);
      this.isInSpeech = false;
      this.lastFinalEndMs = transcript.endMs;
      this.unfinalized.trimThrough(transcript.endMs ?? 0);
      this.handlers.onEvent(this, { type: 'final', transcript });
    };
    recognizer.canceled = (_sender, event) => {
      if (this.#isDisposed) return;
      if (event.reason === CancellationReason.EndOfStream) this.#end();
      else this.#fail(voxErrorFromCancellation(event.errorCode, event.errorDetails));
    };
    recognizer.sessionStopped = () => {
      if (!this.#isDisposed && this.isAudioClosed) this.#end();
    };
  }

  #end(): void {
    if (this.#hasEnded) return;
    this.#hasEnded = true;
    this.handlers.onEnd(this);
  }

  #fail(error: VoxError): void {
    if (this.#hasEnded || this.#isDisposed) return;
    this.#hasEnded = true;
    this.handlers.onError(this, error);
  }
}

function confidenceOf(json: string | undefined): number | undefined {
  if (!json) return undefined;
  try {
    const confidence = (JSON.parse(json) as { NBest?: { Confidence?: unknown }[] }).NBest?.[0]?.Confidence;
    return typeof confidence === 'number' ? confidence : undefined;
  } catch {
    return undefined;
  }
}
