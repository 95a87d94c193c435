import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { SttEvent, VadEvent } from '../frames/transcript';

/** Recognizer and VAD events, tagged with where they came from. */
export type TurnSignal =
  | { readonly source: 'stt'; readonly event: SttEvent }
  | { readonly source: 'vad'; readonly event: VadEvent };

/** The user finished a turn. */
export interface UserTurnEnd {
  /** Every final transcript since the previous turn, joined. */
  readonly text: string;
  /** Where the user's speech ended on the audio timeline, when known. */
  readonly speechEndMs?: number;
}

export interface DetectEndOfTurnOptions {
  /**
   * `stt`: a final transcript ends the turn. `vad`: the end of voice activity ends it (VAD
   * events when any arrive, else the recognizer's speech-end), as soon as a final exists.
   */
  readonly mode: 'stt' | 'vad';
  /** Extra wait after the end signal; new speech in that window cancels it. */
  readonly minEndpointDelayMs: number;
  readonly scheduler?: SchedulerLike;
}

/**
 * Decides when the user has finished speaking.
 *
 * Finals accumulate; the end signal (final in `stt` mode, speech end in `vad` mode) arms a
 * `minEndpointDelayMs` timer; speech starting again or a new interim disarms it, so a user who
 * pauses mid-thought keeps the floor. With a zero delay the turn ends synchronously (no timer).
 *
 * ```
 * signals: -s--i--f-e---------|     s = speech-start, i = interim, f = final "hi there", e = speech-end
 * detectEndOfTurn({ mode: 'stt', minEndpointDelayMs: 5 })
 * turns:   ------------T------|     T = { text: 'hi there' }, 5 frames after f
 *
 * signals: -s--f--s--i--f-----|     the user went on speaking before the delay ran out
 * turns:   -------------------T     one turn: 'first part second part'
 * ```
 */
export function detectEndOfTurn(options: DetectEndOfTurnOptions): OperatorFunction<TurnSignal, UserTurnEnd> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<UserTurnEnd>((subscriber) => {
      let finals: string[] = [];
      /** Speech or words since the last turn: a final may still come for them. */
      let hasHeardSpeech = false;
      let hasVad = false;
      let speechEndMs: number | undefined;
      let isAwaitingFinal = false;
      let timer: Subscription | undefined;

      const disarm = () => {
        timer?.unsubscribe();
        timer = undefined;
        isAwaitingFinal = false;
      };
      const emitTurn = () => {
        timer = undefined;
        const text = finals.join(' ').replace(/\s+/g, ' ').trim();
        if (text === '') {
          // The user stopped but no final yet: wait for the recognizer (a recognizer that
          // finalizes at pauses may give the final after the speech end).
          if (hasHeardSpeech) isAwaitingFinal = true;
          return;
        }
        finals = [];
        hasHeardSpeech = false;
        isAwaitingFinal = false;
        subscriber.next(speechEndMs === undefined ? { text } : { text, speechEndMs });
        speechEndMs = undefined;
      };
      const arm = () => {
        timer?.unsubscribe();
        if (options.minEndpointDelayMs === 0) emitTurn();
        else timer = scheduler.schedule(emitTurn, options.minEndpointDelayMs);
      };
      // In vad mode the activity source is the VAD once it has spoken, else the recognizer.
      const isActivitySource = (signal: TurnSignal) => signal.source === 'vad' || !hasVad;

      const subscription = source.subscribe({
        next: (signal) => {
          if (signal.source === 'vad') hasVad = true;
          const { event } = signal;
          switch (event.type) {
            case 'speech-start':
              if (!isActivitySource(signal)) return;
              disarm();
              hasHeardSpeech = true;
              return;
            case 'interim':
              if (event.transcript.text.trim() === '') return;
              hasHeardSpeech = true;
              if (options.mode === 'stt') disarm();
              return;
            case 'final': {
              if (event.transcript.text.trim() !== '') finals.push(event.transcript.text);
              if (event.transcript.endMs !== undefined && speechEndMs === undefined)
                speechEndMs = event.transcript.endMs;
              if (options.mode === 'stt') arm();
              else if (isAwaitingFinal) emitTurn();
              return;
            }
            case 'speech-end':
              if (!isActivitySource(signal)) return;
              speechEndMs = event.atMs;
              if (options.mode === 'vad') arm();
              return;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          disarm();
          subscriber.complete();
        },
      });
      return () => {
        disarm();
        subscription.unsubscribe();
      };
    });
}
