import { Observable } from 'rxjs';
import type { AudioFrame } from '../src/frames/audio';
import type { SttEvent } from '../src/frames/transcript';
import type { SttProvider } from '../src/providers/stt';
import { ResourceCounter } from '../src/testing/resource-counter';

/**
 * A recognizer in front of another that can be taken down (every new stream fails, at once or
 * while being opened) and whose open streams can be ended, as a provider rotating them would.
 * `inner` is set after the conversation (and its scheduler) exists.
 */
export class FlakyStt implements SttProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'flaky';
  readonly sampleRate = 16000;
  readonly streams = new ResourceCounter();
  inner: SttProvider | undefined;
  isDown = false;
  /** While down, fail inside `subscribe` (a provider that throws on open), not on the first frame. */
  failsWhileOpening = false;
  /** While down, each stream first says this as an interim on the first frame, then fails on the next. */
  interimBeforeFailing: string | undefined;
  readonly #enders = new Set<() => void>();

  /** Completes every open stream. */
  endStreams(): void {
    for (const end of [...this.#enders]) end();
  }

  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent> {
    return new Observable<SttEvent>((subscriber) => {
      const done = this.streams.track();
      if (this.isDown) {
        // A foreign error, as a vendor SDK throws it: the session names the provider.
        const error = new Error('getaddrinfo ENOTFOUND speech.example');
        if (this.failsWhileOpening) {
          done('errored');
          subscriber.error(error);
          return;
        }
        // Otherwise the stream opens and fails on the first frame it is sent (or the second, after an interim).
        let heard = 0;
        const frames = audio$.subscribe((frame) => {
          const text = this.interimBeforeFailing;
          if (text !== undefined && heard++ === 0) {
            const transcript = { text, isFinal: false, startMs: frame.startMs };
            subscriber.next({ type: 'interim', transcript });
          } else subscriber.error(error);
        });
        return () => {
          frames.unsubscribe();
          done('errored');
        };
      }
      const end = () => subscriber.complete();
      this.#enders.add(end);
      const inner = this.inner!.transcribe(audio$).subscribe(subscriber);
      return () => {
        this.#enders.delete(end);
        inner.unsubscribe();
        done('completed');
      };
    });
  }
}
