import type { SessionEvent, VoiceSession } from '@voxduplex/core';
import type { Subscription } from 'rxjs';

/** A session event and when it was seen (`performance.now()`). */
export interface LoggedEvent {
  readonly at: number;
  readonly event: SessionEvent;
}

/** Every event of a session with its time, and a way to wait for the next one that matches. */
export class EventLog {
  readonly events: LoggedEvent[] = [];
  readonly #subscription: Subscription;
  #waiters: {
    matches: (event: SessionEvent) => boolean;
    resolve: (logged: LoggedEvent | undefined) => void;
  }[] = [];

  constructor(session: VoiceSession) {
    this.#subscription = session.events$.subscribe((event) => {
      const logged = { at: performance.now(), event };
      this.events.push(logged);
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!waiter.matches(event)) return true;
        waiter.resolve(logged);
        return false;
      });
    });
  }

  /** Events logged from index `from` on. */
  since(from: number): readonly LoggedEvent[] {
    return this.events.slice(from);
  }

  /** The next matching event, or undefined after `timeoutMs`. */
  next(matches: (event: SessionEvent) => boolean, timeoutMs: number): Promise<LoggedEvent | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter.resolve !== done);
        resolve(undefined);
      }, timeoutMs);
      const done = (logged: LoggedEvent | undefined) => {
        clearTimeout(timer);
        resolve(logged);
      };
      this.#waiters.push({ matches, resolve: done });
    });
  }

  stop(): void {
    this.#subscription.unsubscribe();
    for (const waiter of this.#waiters) waiter.resolve(undefined);
    this.#waiters = [];
  }
}
