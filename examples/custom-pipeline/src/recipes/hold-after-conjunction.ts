import {
  defaultStages,
  type EndOfTurnContext,
  type PipelineStage,
  type TurnSignal,
  type UserTurnEnd,
} from '@voxduplex/core';
import { Observable, Subscription, share } from 'rxjs';

/** Words after which a sentence is rarely over. */
export const DEFAULT_CONJUNCTIONS = ['and', 'but', 'so', 'because', 'or'] as const;

/** Options of {@link holdAfterConjunction}. */
export interface HoldAfterConjunctionOptions {
  /** How long to wait for more words after a turn ending in a conjunction, ms; default 1500. */
  readonly holdMs?: number;
  /** The words that make a turn sound unfinished; default {@link DEFAULT_CONJUNCTIONS}. */
  readonly conjunctions?: readonly string[];
  /** The turn detector to wrap; default `defaultStages.endOfTurn` (the session's settings). */
  readonly detector?: PipelineStage<TurnSignal, UserTurnEnd, EndOfTurnContext>;
}

/**
 * Recipe 3, an `endOfTurn` stage: wraps the default turn detector and holds a turn whose words end
 * in "and", "but", "so"… for up to `holdMs`. If the user goes on, their next turn is joined to it
 * ("I want tea and" + "milk" → one turn, one reply); if they stay quiet, it is released when
 * the wait ends. While the user is speaking again the wait is paused; it starts afresh when
 * they stop. Timers run on the session's scheduler, so virtual-time tests hold.
 *
 * ```
 * detector turns: --"tea and"------------"milk"--|     (h = holdMs)
 * user speech:    -------------s----e------------|
 * output:         -----------------------"tea and milk"
 *
 * detector turns: --"tea and"----|
 * output:         --------h------"tea and"
 * ```
 */
export function holdAfterConjunction(
  options: HoldAfterConjunctionOptions = {},
): PipelineStage<TurnSignal, UserTurnEnd, EndOfTurnContext> {
  const holdMs = options.holdMs ?? 1500;
  const conjunctions = new Set((options.conjunctions ?? DEFAULT_CONJUNCTIONS).map((w) => w.toLowerCase()));
  const detector = options.detector ?? defaultStages.endOfTurn;
  const soundsUnfinished = (text: string) => {
    const lastWord = text.toLowerCase().match(/[a-z']+(?=\W*$)/)?.[0];
    return lastWord !== undefined && conjunctions.has(lastWord);
  };

  return (signals$, context) =>
    new Observable<UserTurnEnd>((subscriber) => {
      const shared$ = signals$.pipe(share());
      let held: UserTurnEnd | undefined;
      let timer: Subscription | undefined;
      const stopWaiting = () => {
        timer?.unsubscribe();
        timer = undefined;
      };
      const release = () => {
        timer = undefined;
        const turn = held;
        held = undefined;
        if (turn) subscriber.next(turn);
      };
      const wait = () => {
        stopWaiting();
        timer = context.scheduler.schedule(release, holdMs);
      };

      const subscription = new Subscription();
      subscription.add(
        shared$.subscribe((signal) => {
          if (!held) return;
          const { type } = signal.event;
          // The user goes on: their next turn will come from the detector; wait for it.
          if (type === 'speech-start' || type === 'interim') stopWaiting();
          else if (type === 'speech-end') wait();
        }),
      );
      subscription.add(
        detector(shared$, context).subscribe({
          next: (turn) => {
            stopWaiting();
            const whole = held ? joinTurns(held, turn) : turn;
            held = undefined;
            if (!soundsUnfinished(whole.text)) subscriber.next(whole);
            else {
              held = whole;
              wait();
            }
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
      return () => {
        stopWaiting();
        subscription.unsubscribe();
      };
    });
}

function joinTurns(first: UserTurnEnd, next: UserTurnEnd): UserTurnEnd {
  const text = `${first.text} ${next.text}`;
  const speechEndMs = next.speechEndMs ?? first.speechEndMs;
  return speechEndMs === undefined ? { text } : { text, speechEndMs };
}
