import { Observable, type OperatorFunction } from 'rxjs';
import type { SpeechRef } from '../frames/identity';
import { InterruptedSpeeches } from './interrupted-speeches';

/**
 * Drops every item of a speech once that speech was interrupted. Defence in depth behind
 * unsubscribing the speech's pipeline: even a chunk already in flight inside a provider cannot
 * reach the listener after its `interrupt` went out.
 *
 * ```
 * items:       -a-a-b-a-b-|     (letter = speechId)
 * interrupts:  -----a-----|
 * dropInterrupted(interrupts)
 * result:      -a-a-b---b-|
 * ```
 *
 * Items of other shapes (a session's event lane) name their speech through `speechIdOf`; an
 * item for which it gives `undefined` always passes.
 *
 * @param interruptedSpeechIds$ emits the speechId of each interrupted speech.
 */
export function dropInterrupted<T extends SpeechRef>(
  interruptedSpeechIds$: Observable<string>,
): OperatorFunction<T, T>;
export function dropInterrupted<T>(
  interruptedSpeechIds$: Observable<string>,
  speechIdOf: (item: T) => string | undefined,
): OperatorFunction<T, T>;
export function dropInterrupted<T>(
  interruptedSpeechIds$: Observable<string>,
  speechIdOf: (item: T) => string | undefined = (item) => (item as SpeechRef).speechId,
): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const interrupted = new InterruptedSpeeches();
      const marks = interruptedSpeechIds$.subscribe({
        next: (speechId) => interrupted.add(speechId),
        error: (error: unknown) => subscriber.error(error),
      });
      const items = source.subscribe({
        next: (item) => {
          const speechId = speechIdOf(item);
          if (speechId === undefined || !interrupted.has(speechId)) subscriber.next(item);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        marks.unsubscribe();
        items.unsubscribe();
      };
    });
}
