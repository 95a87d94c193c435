import { preferNpmWebSocket } from '@voxduplex/azure-common';
import { type AudioFrame, ConfigError, type SttEvent, type SttProvider } from '@voxduplex/core';
import { Observable } from 'rxjs';
import { type AzureSttOptions, azureSttOptionsSchema, type ResolvedAzureSttOptions } from './options';
import { TranscriptionRun } from './transcription-run';

/**
 * Azure Speech continuous recognition as an {@link SttProvider}.
 *
 * Each `transcribe` subscription runs one or more SDK recognizers in turn: it replaces a
 * recognizer that failed (core's `RetryBudget`: interims do not refill it; its unfinalized audio
 * fed again, at most `maxReplayMs` per recognizer and `maxReplayPerMinuteMs` per minute of audio;
 * a refused key is a `ProviderAuthError` at once: the SDK is switched to the npm `ws` package) and rotates to a new
 * one after `rotateAfterMs`, right after a final (it replays the little audio
 * the old one had not finalized). Transcript times are on the session's audio
 * timeline across all of them. Unsubscribing stops and closes every recognizer.
 *
 * @example
 * ```ts
 * const stt = new AzureStt({ key: process.env.AZURE_SPEECH_KEY, region: 'westeurope' });
 * stt.transcribe(microphone$).subscribe((e) => e.type === 'final' && console.log(e.transcript.text));
 * ```
 */
export class AzureStt implements SttProvider {
  readonly specificationVersion = 'v1';
  readonly name = 'azure';
  readonly sampleRate = 16000;
  readonly #options: ResolvedAzureSttOptions;

  /** Throws a {@link ConfigError} listing every invalid option. */
  constructor(options: AzureSttOptions) {
    const parsed = azureSttOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        'Invalid Azure STT options',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    this.#options = parsed.data;
    preferNpmWebSocket();
  }

  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent> {
    return new Observable<SttEvent>((subscriber) => {
      const run = new TranscriptionRun(this.#options, subscriber);
      run.start(audio$);
      return () => run.close();
    });
  }
}
