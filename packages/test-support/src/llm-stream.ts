import type { LlmEvent, VoxError } from '@voxduplex/core';
import type { Observable } from 'rxjs';

/** Everything a stream emitted, and how it ended. */
export interface Collected {
  readonly events: LlmEvent[];
  readonly error: VoxError | undefined;
}

/** Subscribes and waits for the stream to complete or error. */
export function collect(stream$: Observable<LlmEvent>): Promise<Collected> {
  const events: LlmEvent[] = [];
  return new Promise((resolve) => {
    stream$.subscribe({
      next: (event) => events.push(event),
      error: (error: VoxError) => resolve({ events, error }),
      complete: () => resolve({ events, error: undefined }),
    });
  });
}

/** The concatenated text of the token events. */
export function textOf(events: readonly LlmEvent[]): string {
  return events.map((event) => (event.type === 'token' ? event.text : '')).join('');
}
