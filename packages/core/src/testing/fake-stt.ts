import { asyncScheduler, Observable, type SchedulerLike, Subject, Subscription } from 'rxjs';
import type { VoxError } from '../errors/vox-error';
import { type AudioFrame, audioFrameDurationMs } from '../frames/audio';
import type { SttEvent } from '../frames/transcript';
import type { SttProvider } from '../providers/stt';
import { ResourceCounter } from './resource-counter';
import { type PlacedUtterance, placeUtterances, type ScriptedUtterance } from './script';

export interface FakeSttOptions {
  /** The provider's `name` (in errors and fallback chains). Default `'fake'`. */
  readonly name?: string;
  /** What the fake user says, on the audio timeline. */
  readonly utterances?: readonly ScriptedUtterance[];
  /** Default speaking pace for utterances without a duration. */
  readonly msPerWord?: number;
  /** Recognizer delay from speech end to the final transcript, in scheduler time. */
  readonly finalDelayMs?: number;
  readonly interimResults?: boolean;
  readonly sampleRate?: number;
  readonly scheduler?: SchedulerLike;
}

/**
 * A scriptable speech recognizer for tests and the terminal demo. It "recognizes" the scripted
 * utterances as audio covering them arrives: `speech-start`, one interim per word, `speech-end`,
 * then the final after `finalDelayMs`. Tests can also push events by hand with {@link emit}.
 * `streams` counts open recognition streams (0 after a clean teardown).
 */
export class FakeStt implements SttProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly sampleRate: number;
  readonly streams = new ResourceCounter();
  framesReceived = 0;
  readonly #utterances: PlacedUtterance[];
  readonly #finalDelayMs: number;
  readonly #interimResults: boolean;
  readonly #scheduler: SchedulerLike;
  readonly #manual$ = new Subject<SttEvent | { type: 'error'; error: VoxError }>();

  constructor(options: FakeSttOptions = {}) {
    this.name = options.name ?? 'fake';
    this.sampleRate = options.sampleRate ?? 16000;
    this.#utterances = placeUtterances(options.utterances ?? [], options.msPerWord ?? 300);
    this.#finalDelayMs = options.finalDelayMs ?? 100;
    this.#interimResults = options.interimResults ?? true;
    this.#scheduler = options.scheduler ?? asyncScheduler;
  }

  /** Pushes an event into every open recognition stream. */
  emit(event: SttEvent): void {
    this.#manual$.next(event);
  }

  /** Errors every open recognition stream. */
  fail(error: VoxError): void {
    this.#manual$.next({ type: 'error', error });
  }

  transcribe(audio$: Observable<AudioFrame>): Observable<SttEvent> {
    return new Observable<SttEvent>((subscriber) => {
      const done = this.streams.track();
      let hasEnded = false;
      const pending = new Subscription();
      const progress = this.#utterances.map(() => ({ started: false, words: 0, ended: false }));
      let isFirstFrame = true;
      const emitFinal = (u: PlacedUtterance) =>
        subscriber.next({
          type: 'final',
          transcript: { text: u.text, isFinal: true, confidence: 0.95, startMs: u.startMs, endMs: u.endMs },
        });
      const advance = (audioMs: number) => {
        this.#utterances.forEach((u, i) => {
          const p = progress[i]!;
          if (p.ended || audioMs < u.startMs) return;
          if (!p.started) {
            p.started = true;
            subscriber.next({ type: 'speech-start', atMs: u.startMs });
          }
          const msPerWord = (u.endMs - u.startMs) / u.words.length;
          const heardWords = Math.min(u.words.length, Math.floor((audioMs - u.startMs) / msPerWord));
          while (this.#interimResults && p.words < heardWords && p.words < u.words.length - 1) {
            p.words++;
            const text = u.words.slice(0, p.words).join(' ');
            subscriber.next({
              type: 'interim',
              transcript: {
                text,
                isFinal: false,
                stability: 0.5 + 0.4 * (p.words / u.words.length),
                startMs: u.startMs,
              },
            });
          }
          if (audioMs >= u.endMs) {
            p.ended = true;
            subscriber.next({ type: 'speech-end', atMs: u.endMs });
            if (this.#finalDelayMs === 0) emitFinal(u);
            else pending.add(this.#scheduler.schedule(() => emitFinal(u), this.#finalDelayMs));
          }
        });
      };
      const manual = this.#manual$.subscribe((event) => {
        if (event.type === 'error') {
          hasEnded = true;
          subscriber.error(event.error);
        } else subscriber.next(event);
      });
      const audio = audio$.subscribe({
        next: (frame) => {
          this.framesReceived++;
          if (isFirstFrame) {
            // A stream opened later (after a failure or a resume) never heard what came before.
            isFirstFrame = false;
            this.#utterances.forEach((u, i) => {
              if (u.endMs <= frame.startMs) progress[i]!.ended = true;
            });
          }
          advance(frame.startMs + audioFrameDurationMs(frame));
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
        pending.unsubscribe();
      };
    });
  }
}
