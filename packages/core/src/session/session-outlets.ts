import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { SpeechAudio } from '../frames/agent';
import type { DtmfDigit } from '../frames/dtmf';
import type { PlaybackControl } from '../frames/playback-control';
import type { TurnMetrics } from '../metrics/turn-metrics';
import { InterruptedSpeeches } from '../operators/interrupted-speeches';
import type { SessionEvent, SessionEventMap, SessionEventType } from './events';
import type { SessionState } from './state';

interface Emitter {
  emit(type: string, payload: unknown): boolean;
}

/**
 * Everything a session sends out, from one source. `events$` is the lane: every event in
 * order, with the stale-audio guard on it (audio of an interrupted speech never follows its
 * `interrupt`, even a chunk that was in flight). `audio$`, `controls$`, `metrics$` and the
 * eventemitter3 events are derived from it, so all of them say the same thing in the same order.
 */
export class SessionOutlets {
  readonly events$: Observable<SessionEvent>;
  readonly audio$: Observable<SpeechAudio>;
  readonly controls$: Observable<PlaybackControl>;
  readonly metrics$: Observable<TurnMetrics>;
  /** Keys the caller presses (`dtmf` events), for replies and tools. */
  readonly dtmf$: Observable<DtmfDigit>;
  readonly state: BehaviorSubject<SessionState>;
  readonly #lane = new Subject<SessionEvent>();
  readonly #interrupted = new InterruptedSpeeches();

  constructor(emitter: Emitter, initial: SessionState) {
    this.state = new BehaviorSubject(initial);
    this.events$ = this.#lane.asObservable();
    this.audio$ = fieldOf(this.events$, 'audio', 'audio');
    this.controls$ = fieldOf(this.events$, 'control', 'control');
    this.metrics$ = fieldOf(this.events$, 'metrics', 'metrics');
    this.dtmf$ = fieldOf(this.events$, 'dtmf', 'digit');
    // The emitter listens first: `session.on(...)` handlers see an event before `events$` subscribers.
    // They get the event itself as the payload (its `type` included): no copy per event.
    this.events$.subscribe((event) => {
      try {
        emitter.emit(event.type, event);
      } catch (error) {
        // A throwing app listener must not break the session's bookkeeping: report it the way
        // RxJS reports errors in subscribers, outside our call stack.
        setTimeout(() => {
          throw error;
        });
      }
    });
  }

  /**
   * Puts an event on the lane. The stale-audio guard is here, on the lane everything reads:
   * after a speech's `interrupt` control, no audio of that speech passes, even a chunk that was
   * in flight inside a provider.
   */
  emit<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    const event = { type, ...payload } as SessionEvent;
    if (event.type === 'control' && event.control.type === 'interrupt')
      this.#interrupted.add(event.control.speechId);
    else if (event.type === 'audio' && this.#interrupted.has(event.audio.speechId)) return;
    this.#lane.next(event);
  }

  /** Control lane: emitted synchronously, before any audio that follows. */
  control(control: PlaybackControl): void {
    this.emit('control', { control });
  }

  audioOut(audio: SpeechAudio): void {
    this.emit('audio', { audio });
  }

  metricsOut(metrics: TurnMetrics): void {
    this.emit('metrics', { metrics });
  }

  complete(): void {
    this.#lane.complete();
    this.state.complete();
  }
}

/** One field of the events of one type, in one hop (the audio lane is the hottest path). */
function fieldOf<K extends SessionEventType, F extends keyof Extract<SessionEvent, { type: K }>>(
  events$: Observable<SessionEvent>,
  type: K,
  field: F,
): Observable<Extract<SessionEvent, { type: K }>[F]> {
  return new Observable((subscriber) =>
    events$.subscribe({
      next: (event) => {
        if (event.type === type) subscriber.next((event as Extract<SessionEvent, { type: K }>)[field]);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  );
}
