import type { VirtualTimeScheduler } from 'rxjs';

/**
 * Runs virtual time to its end, letting promises settle between steps: the FAQ agent's awaits and
 * tool calls are promises, which a plain `scheduler.flush()` would leave behind.
 */
export async function runToEnd(scheduler: VirtualTimeScheduler): Promise<void> {
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
