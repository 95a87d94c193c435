import { type SchedulerLike, Subject, Subscription } from 'rxjs';
import type { AudioFrame } from '../frames/audio';
import type { SttEvent, VadEvent } from '../frames/transcript';
import {
  type BargeInDecision,
  type BargeInOptions,
  type BargeInSignal,
  bargeIn,
} from '../operators/barge-in';
import { detectEndOfTurn, type TurnSignal, type UserTurnEnd } from '../operators/detect-end-of-turn';
import type { SttProvider } from '../providers/stt';
import type { VadProvider } from '../providers/vad';

export interface UserListenerHandlers {
  stt(event: SttEvent): void;
  vad(event: VadEvent): void;
  /** Runs after `stt`/`vad` handled the same event, so barge-in decisions come first. */
  turn(turn: UserTurnEnd): void;
  bargeIn(decision: BargeInDecision): void;
  error(error: unknown): void;
}

export interface UserListenerOptions {
  readonly stt: SttProvider;
  readonly vad?: VadProvider | undefined;
  readonly turnDetection: { readonly mode: 'stt' | 'vad'; readonly minEndpointDelayMs: number };
  readonly bargeIn: Omit<BargeInOptions, 'scheduler'>;
  readonly scheduler: SchedulerLike;
}

/**
 * The session's ears for one stretch of listening: microphone frames go to the recognizer (and
 * VAD); their events feed end-of-turn detection and the barge-in detector. Opened on the first
 * frame, closed on suspend/close/recognizer failure — closing it closes every provider stream
 * and timer it holds.
 */
export class UserListener {
  readonly #mic$ = new Subject<AudioFrame>();
  readonly #turnSignals$ = new Subject<TurnSignal>();
  readonly #bargeInSignals$ = new Subject<BargeInSignal>();
  readonly #subscription = new Subscription();
  #isClosed = false;

  constructor(options: UserListenerOptions, handlers: UserListenerHandlers, agent: BargeInSignal) {
    const { scheduler } = options;
    this.#subscription.add(
      this.#bargeInSignals$
        .pipe(bargeIn({ ...options.bargeIn, scheduler }))
        .subscribe((d) => handlers.bargeIn(d)),
    );
    this.#bargeInSignals$.next(agent);
    this.#subscription.add(
      this.#turnSignals$
        .pipe(detectEndOfTurn({ ...options.turnDetection, scheduler }))
        .subscribe((t) => handlers.turn(t)),
    );
    const fail = (error: unknown) => {
      if (!this.#isClosed) handlers.error(error);
    };
    this.#subscription.add(
      options.stt.transcribe(this.#mic$).subscribe({
        next: (event) => {
          handlers.stt(event);
          this.#turnSignals$.next({ source: 'stt', event });
        },
        error: fail,
      }),
    );
    if (options.vad) {
      this.#subscription.add(
        options.vad.detect(this.#mic$).subscribe({
          next: (event) => {
            handlers.vad(event);
            this.#turnSignals$.next({ source: 'vad', event });
          },
          error: fail,
        }),
      );
    }
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  push(frame: AudioFrame): void {
    if (!this.#isClosed) this.#mic$.next(frame);
  }

  /** Tells the barge-in detector about user activity or the agent's situation. */
  signal(signal: BargeInSignal): void {
    if (!this.#isClosed) this.#bargeInSignals$.next(signal);
  }

  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#subscription.unsubscribe();
  }
}
