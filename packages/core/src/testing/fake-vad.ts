import { Observable, Subject } from 'rxjs';
import { type AudioFrame, audioFrameDurationMs } from '../frames/audio';
import type { VadEvent } from '../frames/transcript';
import type { VadProvider } from '../providers/vad';
import { ResourceCounter } from './resource-counter';
import { placeUtterances, type ScriptedUtterance } from './script';

export interface FakeVadOptions {
  readonly utterances?: readonly ScriptedUtterance[];
  readonly msPerWord?: number;
  readonly sampleRate?: number;
}

/**
 * A scriptable voice activity detector: speech start and end exactly where the scripted
 * utterances are on the audio timeline, or pushed by hand with {@link emit}.
 */
export class FakeVad implements VadProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'fake';
  readonly sampleRate: number;
  readonly streams = new ResourceCounter();
  readonly #utterances;
  readonly #manual$ = new Subject<VadEvent>();

  constructor(options: FakeVadOptions = {}) {
    this.sampleRate = options.sampleRate ?? 16000;
    this.#utterances = placeUtterances(options.utterances ?? [], options.msPerWord ?? 300);
  }

  emit(event: VadEvent): void {
    this.#manual$.next(event);
  }

  detect(audio$: Observable<AudioFrame>): Observable<VadEvent> {
    return new Observable<VadEvent>((subscriber) => {
      const done = this.streams.track();
      let hasEnded = false;
      const progress = this.#utterances.map(() => ({ started: false, ended: false }));
      const manual = this.#manual$.subscribe((event) => subscriber.next(event));
      const audio = audio$.subscribe({
        next: (frame) => {
          const audioMs = frame.startMs + audioFrameDurationMs(frame);
          this.#utterances.forEach((u, i) => {
            const p = progress[i]!;
            if (!p.started && audioMs >= u.startMs) {
              p.started = true;
              subscriber.next({ type: 'speech-start', atMs: u.startMs, probability: 0.9 });
            }
            if (!p.ended && audioMs >= u.endMs) {
              p.ended = true;
              subscriber.next({ type: 'speech-end', atMs: u.endMs, probability: 0.1 });
            }
          });
        },
        error: (error: unknown) => {
          hasEnded = true;
          subscriber.error(error);
        },
        complete: () => {
          hasEnded = true;
          subscriber.complete();
        },
      });
      return () => {
        done(hasEnded ? 'completed' : 'cancelled');
        audio.unsubscribe();
        manual.unsubscribe();
      };
    });
  }
}
