import type { AudioFrame, SttEvent, SttProvider } from '@voxduplex/core';
import type { Observable } from 'rxjs';
import { POCKETSPHINX_SAMPLE_RATE } from './frame-format';
import { type PocketsphinxSttOptions, type ResolvedPocketsphinxSttOptions, resolveOptions } from './options';
import { recognize } from './recognition-stream';

/**
 * Offline speech-to-text on CMU PocketSphinx (Debian's `libpocketsphinx3`), through its C API.
 *
 * Each `transcribe` subscription loads its own decoder (≈ 0.5 s, ≈ 40 MB; frames sent meanwhile
 * are queued, not lost) and frees it when the stream completes, errors or is unsubscribed.
 * It emits `speech-start`, `interim` (every `interimIntervalMs` of audio while the words change),
 * `speech-end` and `final`, with times on the audio timeline of the frames. With a `vad` that
 * reports pauses (Silero's `pauseMs`), each pause gives an `interim` with the words so far (when
 * they changed), a `speech-pause` (a session can start its reply early), then the `final` of the
 * words before the pause; the speech-end then brings a final only for words said after the last
 * pause. A final is emitted
 * only when words were recognized. Input must be 16 kHz mono Int16: anything else errors the
 * stream with an `AudioFormatError`. A missing library errors it with a `SystemDependencyError`
 * whose message is the `apt-get install` line.
 *
 * @example
 * ```ts
 * const stt = new PocketsphinxStt({ endpointSilenceMs: 400 });
 * stt.transcribe(microphone$).subscribe((event) => {
 *   if (event.type === 'final') console.log(event.transcript.text);
 * });
 * ```
 */
export class PocketsphinxStt implements SttProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'pocketsphinx';
  readonly sampleRate = POCKETSPHINX_SAMPLE_RATE;
  /** The options with their defaults filled in. */
  readonly options: ResolvedPocketsphinxSttOptions;

  /** @throws ConfigError when an option is malformed (files are checked when a stream opens). */
  constructor(options: PocketsphinxSttOptions = {}) {
    this.options = resolveOptions(options);
  }

  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent> {
    return recognize(this.options, audio$);
  }
}
