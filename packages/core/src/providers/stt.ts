import type { Observable } from 'rxjs';
import type { AudioFrame } from '../frames/audio';
import type { SttEvent } from '../frames/transcript';

/**
 * Speech-to-text contract, version 1.
 *
 * `transcribe` is cold: each subscription opens one recognition stream fed by `audio$`, and
 * unsubscribing closes it (and every request, socket or decoder it holds) at once. When `audio$`
 * completes, the provider flushes its last final and completes.
 *
 * Times in the events are positions in the audio stream (see {@link AudioFrame.startMs}).
 * Errors are {@link VoxError}s (auth, quota, unavailable…); a provider that can recover by itself
 * (stream rotation, reconnect) does so without erroring.
 *
 * @example
 * ```ts
 * const events$ = stt.transcribe(microphone$);
 * events$.subscribe((e) => e.type === 'final' && console.log(e.transcript.text));
 * ```
 */
export interface SttProvider {
  readonly specificationVersion: 'v1';
  /** Short provider id, used in errors and metrics: `'google'`, `'pocketsphinx'`. */
  readonly name: string;
  /** The sample rate the recognizer wants; callers must send frames at this rate. */
  readonly sampleRate: number;
  /**
   * Releases what the provider holds across requests (a gRPC channel, a decoder pool, a model).
   * A provider may serve many sessions, so sessions never call this: whoever created the
   * provider does, at shutdown. Streams still open are cancelled.
   */
  close?(): void | Promise<void>;
  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent>;
}
