import { asyncScheduler, type SchedulerLike } from 'rxjs';

/** Milliseconds from some fixed origin; fractional where the platform allows. */
export type Clock = () => number;

const performanceNow: Clock | undefined = (() => {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : undefined;
})();

/**
 * The clock to read timestamps from: the given scheduler's (virtual time in tests), else the
 * high-resolution `performance.now()` of Node and browsers, else `Date.now()`.
 */
export function clockFor(scheduler: SchedulerLike | undefined): Clock {
  if (scheduler) return () => scheduler.now();
  return performanceNow ?? (() => asyncScheduler.now());
}
