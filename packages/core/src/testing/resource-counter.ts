/**
 * Counts what a fake provider has open, so tests can prove teardown: after `close()`,
 * `open` must be 0 and `cancelled` tells how many were aborted rather than finished.
 */
export class ResourceCounter {
  opened = 0;
  closed = 0;
  cancelled = 0;

  get open(): number {
    return this.opened - this.closed;
  }

  /** Call when a stream/request starts; call the returned function exactly once when it ends. */
  track(): (how: 'completed' | 'cancelled' | 'errored') => void {
    this.opened++;
    let isDone = false;
    return (how) => {
      if (isDone) return;
      isDone = true;
      this.closed++;
      if (how === 'cancelled') this.cancelled++;
    };
  }
}
