import { BehaviorSubject, Subject } from 'rxjs';
import type { SpeechAudio } from '../frames/agent';
import type { TurnMetrics } from '../metrics/turn-metrics';
import type { PlaybackControl } from './controls';
import type { SessionEvent, SessionEventMap, SessionEventType } from './events';
import type { SessionState } from './state';

interface Emitter {
  emit(type: string, payload: unknown): boolean;
}

/**
 * Everything a session sends out: the observables (`events$`, `state$`, `audio$`,
 * `controls$`, `metrics$`) and the matching eventemitter3 events, kept in step.
 */
export class SessionOutlets {
  readonly events = new Subject<SessionEvent>();
  readonly audio = new Subject<SpeechAudio>();
  readonly controls = new Subject<PlaybackControl>();
  readonly metrics = new Subject<TurnMetrics>();
  readonly interruptedSpeechIds = new Subject<string>();
  readonly state: BehaviorSubject<SessionState>;
  readonly #emitter: Emitter;

  constructor(emitter: Emitter, initial: SessionState) {
    this.#emitter = emitter;
    this.state = new BehaviorSubject(initial);
  }

  emit<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    this.events.next({ type, ...payload } as SessionEvent);
    try {
      this.#emitter.emit(type, payload);
    } catch (error) {
      // A throwing app listener must not break the session's bookkeeping: report it the way
      // RxJS reports errors in subscribers, outside our call stack.
      setTimeout(() => {
        throw error;
      });
    }
  }

  /** Control lane: emitted synchronously, before any audio that follows. */
  control(control: PlaybackControl): void {
    if (control.type === 'interrupt') this.interruptedSpeechIds.next(control.speechId);
    this.controls.next(control);
    this.emit('control', { control });
  }

  audioOut(audio: SpeechAudio): void {
    this.audio.next(audio);
    this.emit('audio', { audio });
  }

  metricsOut(metrics: TurnMetrics): void {
    this.metrics.next(metrics);
    this.emit('metrics', { metrics });
  }

  complete(): void {
    for (const subject of [
      this.events,
      this.audio,
      this.controls,
      this.metrics,
      this.interruptedSpeechIds,
      this.state,
    ]) {
      subject.complete();
    }
  }
}
