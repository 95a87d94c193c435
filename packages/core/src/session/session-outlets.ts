import { BehaviorSubject, filter, map, type Observable, Subject, share } from 'rxjs';
import type { SpeechAudio } from '../frames/agent';
import type { PlaybackControl } from '../frames/playback-control';
import type { TurnMetrics } from '../metrics/turn-metrics';
import { dropInterrupted } from '../operators/drop-interrupted';
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
  readonly state: BehaviorSubject<SessionState>;
  readonly #source = new Subject<SessionEvent>();

  constructor(emitter: Emitter, initial: SessionState) {
    this.state = new BehaviorSubject(initial);
    const interruptedSpeechIds$ = this.#source.pipe(
      filter((event) => event.type === 'control' && event.control.type === 'interrupt'),
      map((event) => (event as Extract<SessionEvent, { type: 'control' }>).control.speechId),
    );
    this.events$ = this.#source.pipe(
      dropInterrupted(interruptedSpeechIds$, (event) =>
        event.type === 'audio' ? event.audio.speechId : undefined,
      ),
      share(),
    );
    this.audio$ = this.events$.pipe(
      filter((event) => event.type === 'audio'),
      map((event) => event.audio),
    );
    this.controls$ = this.events$.pipe(
      filter((event) => event.type === 'control'),
      map((event) => event.control),
    );
    this.metrics$ = this.events$.pipe(
      filter((event) => event.type === 'metrics'),
      map((event) => event.metrics),
    );
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

  emit<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    this.#source.next({ type, ...payload } as SessionEvent);
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
    this.#source.complete();
    this.state.complete();
  }
}
