import { vi } from 'vitest';

interface TrackedTimer {
  readonly ms: number;
  readonly handle: { _destroyed?: boolean };
}

/**
 * Records every `setTimeout` whose delay is one of `delays` (pick values nothing else uses),
 * so a test can prove each was cleared or ran: `open()` counts those still pending (optionally
 * only those of one delay). Node marks a timer `_destroyed` once it fired or was cleared.
 */
export function trackTimers(delays: readonly number[]): {
  open(ms?: number): number;
  created(): number;
  restore(): void;
} {
  const timers: TrackedTimer[] = [];
  const original = globalThis.setTimeout;
  const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const handle = original(callback, ms, ...args);
    if (ms !== undefined && delays.includes(ms)) {
      timers.push({ ms, handle: handle as unknown as { _destroyed?: boolean } });
    }
    return handle;
  }) as typeof setTimeout);
  return {
    open: (ms) =>
      timers.filter((timer) => timer.handle._destroyed !== true && (ms === undefined || timer.ms === ms))
        .length,
    created: () => timers.length,
    restore: () => spy.mockRestore(),
  };
}
