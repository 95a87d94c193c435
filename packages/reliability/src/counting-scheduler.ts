import { ResourceCounter } from '@voxduplex/core/testing';
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * A real-time scheduler that counts the timers scheduled through it: pass it as a session's
 * `scheduler` and `timers.open` is how many of the session's timers are pending. A timer counts
 * from `schedule()` until it has run (and did not schedule itself again) or was cancelled.
 */
export class CountingScheduler implements SchedulerLike {
  readonly timers: ResourceCounter;
  readonly #inner: SchedulerLike;

  /** Several schedulers may share one counter (one per session, one total). */
  constructor(timers = new ResourceCounter(), inner: SchedulerLike = asyncScheduler) {
    this.timers = timers;
    this.#inner = inner;
  }

  now(): number {
    return performance.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
    const done = this.timers.track();
    const action = this.#inner.schedule(
      function (this: SchedulerAction<T>, value?: T) {
        work.call(this, value as T);
        // An action that scheduled itself again is still pending (rxjs sets `pending`).
        if (!(this as unknown as { pending?: boolean }).pending) done('completed');
      },
      delay,
      state,
    );
    action.add(() => done('cancelled'));
    return action;
  }
}
