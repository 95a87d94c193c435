import type { VirtualTimeScheduler } from 'rxjs';

/**
 * Runs a `VirtualTimeScheduler` to its end, draining the promise queue between steps: tool
 * calls, async generators and other awaits resolve in the virtual moment they belong to, where a
 * plain `scheduler.flush()` would run every timer first and leave them behind.
 */
export async function runVirtualTime(scheduler: VirtualTimeScheduler): Promise<void> {
  // A few promise hops per step is enough, and far cheaper than yielding to the event loop.
  const settle = async () => {
    for (let hop = 0; hop < 16; hop++) await Promise.resolve();
  };
  await settle();
  for (let next = scheduler.actions[0]; next; next = scheduler.actions[0]) {
    scheduler.maxFrames = next.delay;
    scheduler.flush();
    await settle();
  }
}
