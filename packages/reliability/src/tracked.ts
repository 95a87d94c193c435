import type { ResourceCounter } from '@voxduplex/core/testing';
import { Observable } from 'rxjs';

/**
 * `source`, counted in `counter` from subscription to its end (complete, error or unsubscribe),
 * so a test sees every request a session opened and whether it was released.
 */
export function tracked<T>(counter: ResourceCounter, source: () => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const done = counter.track();
    let subscription: { unsubscribe(): void } | undefined;
    try {
      subscription = source().subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          done('errored');
          subscriber.error(error);
        },
        complete: () => {
          done('completed');
          subscriber.complete();
        },
      });
    } catch (error) {
      // A provider that throws instead of returning an observable: an error like any other.
      done('errored');
      subscriber.error(error);
    }
    return () => {
      subscription?.unsubscribe();
      done('cancelled');
    };
  });
}
