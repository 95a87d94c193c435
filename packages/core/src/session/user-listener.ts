import { type Observable, type SchedulerLike, Subject, Subscription } from 'rxjs';
import type { AudioFrame } from '../frames/audio';
import type { SttEvent, VadEvent } from '../frames/transcript';
import type { Clock } from '../internal/clock';
import {
  type BargeInDecision,
  type BargeInOptions,
  type BargeInSignal,
  bargeIn,
} from '../operators/barge-in';
import { detectEndOfTurn, type TurnSignal, type UserTurnEnd } from '../operators/detect-end-of-turn';
import type { SttProvider } from '../providers/stt';
import type { VadProvider } from '../providers/vad';
import {
  RecognitionBackoff,
  type RecognitionRetryOptions,
  type RecognitionStopReason,
} from './recognition-backoff';

/** A recognition stream (STT or VAD) stopped; it is reopened on audio after `retryInMs`. */
export interface RecognitionLoss {
  readonly provider: 'stt' | 'vad';
  readonly reason: RecognitionStopReason;
  /** What the stream failed with (`reason: 'failed'`). */
  readonly error?: unknown;
  /** Failures in a row since the stream last worked (0 for a healthy stream that ended). */
  readonly consecutiveFailures: number;
  readonly retryInMs: number;
}

export interface UserListenerHandlers {
  stt(event: SttEvent): void;
  vad(event: VadEvent): void;
  /** Runs after `stt`/`vad` handled the same event, so barge-in decisions come first. */
  turn(turn: UserTurnEnd): void;
  bargeIn(decision: BargeInDecision): void;
  lost(loss: RecognitionLoss): void;
}

export interface UserListenerOptions {
  readonly stt: SttProvider;
  readonly vad?: VadProvider | undefined;
  readonly turnDetection: { readonly mode: 'stt' | 'vad'; readonly minEndpointDelayMs: number };
  readonly bargeIn: Omit<BargeInOptions, 'scheduler'>;
  readonly recognitionRetry: RecognitionRetryOptions;
  readonly scheduler: SchedulerLike;
  readonly now: Clock;
}

/** One provider stream fed from the microphone, reopened after it fails or ends. */
interface RecognitionStream {
  readonly provider: 'stt' | 'vad';
  readonly open: () => Observable<SttEvent | VadEvent>;
  readonly backoff: RecognitionBackoff;
  subscription: Subscription | undefined;
}

/**
 * The session's ears for one stretch of listening: microphone frames go to the recognizer (and
 * VAD); their events feed end-of-turn detection and the barge-in detector. Opened on the first
 * frame, closed on suspend/close — closing it closes every provider stream and timer it holds.
 *
 * A recognizer or VAD stream that fails or ends is reopened on a later frame (with backoff,
 * see {@link RecognitionBackoff}); turn detection and barge-in carry on across the gap, so a
 * final already heard still ends its turn.
 */
export class UserListener {
  readonly #mic$ = new Subject<AudioFrame>();
  readonly #turnSignals$ = new Subject<TurnSignal>();
  readonly #bargeInSignals$ = new Subject<BargeInSignal>();
  readonly #subscription = new Subscription();
  readonly #handlers: UserListenerHandlers;
  readonly #streams: RecognitionStream[];
  #isClosed = false;

  constructor(options: UserListenerOptions, handlers: UserListenerHandlers, agent: BargeInSignal) {
    const { scheduler, now } = options;
    this.#handlers = handlers;
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
    const { stt, vad } = options;
    const stream = (provider: 'stt' | 'vad', open: RecognitionStream['open']): RecognitionStream => ({
      provider,
      open,
      backoff: new RecognitionBackoff(options.recognitionRetry, now),
      subscription: undefined,
    });
    this.#streams = [stream('stt', () => stt.transcribe(this.#mic$))];
    if (vad) this.#streams.push(stream('vad', () => vad.detect(this.#mic$)));
    this.#subscription.add(() => {
      for (const s of this.#streams) s.subscription?.unsubscribe();
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Feeds a microphone frame, first (re)opening any stream whose wait is over. */
  push(frame: AudioFrame): void {
    if (this.#isClosed) return;
    for (const stream of this.#streams)
      if (!stream.subscription && stream.backoff.canOpen()) this.#open(stream);
    this.#mic$.next(frame);
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

  #open(stream: RecognitionStream): void {
    stream.backoff.opened();
    // A provider may fail while being subscribed to: `hasStopped` tells us not to keep it.
    let hasStopped = false;
    const stop = (reason: RecognitionStopReason, error?: unknown) => {
      hasStopped = true;
      stream.subscription = undefined;
      if (this.#isClosed) return;
      const retryInMs = stream.backoff.lost(reason);
      this.#handlers.lost({
        provider: stream.provider,
        reason,
        ...(reason === 'failed' ? { error } : {}),
        consecutiveFailures: stream.backoff.consecutiveFailures,
        retryInMs,
      });
    };
    const subscription = stream.open().subscribe({
      next: (event) => {
        stream.backoff.worked();
        if (stream.provider === 'stt') {
          this.#handlers.stt(event as SttEvent);
          this.#turnSignals$.next({ source: 'stt', event: event as SttEvent });
        } else {
          this.#handlers.vad(event as VadEvent);
          this.#turnSignals$.next({ source: 'vad', event: event as VadEvent });
        }
      },
      error: (error: unknown) => stop('failed', error),
      complete: () => stop('ended'),
    });
    // Closed while subscribing (a handler closed the session): nothing may stay open.
    if (hasStopped || this.#isClosed) subscription.unsubscribe();
    else stream.subscription = subscription;
  }
}
