import { diag } from '@opentelemetry/api';

/**
 * Something whose span work runs off the session's path: told, in order, what happened and when.
 * `step` is whatever the target queued; `atMs` the clock reading taken when it happened.
 */
export interface DeferredTarget<S> {
  apply(step: S, atMs: number): void;
}

// One FIFO for every session and request, so a request's span is opened after the session
// events that came before it (its turn's span exists by then). Three slots per entry instead of
// a closure or a record: queuing is then three array writes, with no allocation once the array
// has grown to a tick's worth of entries.
const queue: unknown[] = [];
let isScheduled = false;
let isDraining = false;

/**
 * Queues `step` for `target`, applied at the next turn of the event loop (or by
 * {@link flushTraces}). This is all tracing does on a session's path: the spans, their
 * attributes and the SDK's `onEnd` (a batch export when a batch fills) run after the session
 * has sent what the event was about.
 */
export function defer<S>(target: DeferredTarget<S>, step: S, atMs: number): void {
  queue.push(target, step, atMs);
  if (isScheduled) return;
  isScheduled = true;
  setImmediate(flushTraces);
}

/**
 * Runs the span work queued so far, now: spans of events already seen are then started, ended
 * and handed to the SDK's span processor. A session's close does it by itself; call it before
 * the SDK's `forceFlush()` / `shutdown()` when the process stops with sessions still open, or in a
 * test that reads spans before the event loop turns.
 *
 * @example
 * ```ts
 * process.on('SIGTERM', async () => {
 *   flushTraces();
 *   await sdk.shutdown();
 * });
 * ```
 */
export function flushTraces(): void {
  isScheduled = false;
  // A step that queues more (a span ending a session) is picked up by the loop below.
  if (isDraining) return;
  isDraining = true;
  try {
    for (let i = 0; i < queue.length; i += 3) {
      try {
        (queue[i] as DeferredTarget<unknown>).apply(queue[i + 1], queue[i + 2] as number);
      } catch (error) {
        // A span processor that throws loses its own span, not the spans queued after it.
        diag.error('@voxduplex/tracing: span work failed', error);
      }
    }
  } finally {
    queue.length = 0;
    isDraining = false;
  }
}
