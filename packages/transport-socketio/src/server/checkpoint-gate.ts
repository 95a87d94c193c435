/** A checkpoint being written: what was sent after it waits until it is open. */
interface Barrier {
  isOpen: boolean;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Keeps what a client is told in order behind the checkpoints being written, so the client
 * never hears of a finished turn the store does not hold yet: once {@link holdUntil} is
 * called, everything {@link send} gets waits (in order) until that write settles — stored,
 * failed — or `timeoutMs` passed, whichever comes first. A slow or hung store therefore delays
 * the client by at most `timeoutMs` per checkpoint; it never stops the session, which goes on
 * producing while the gate holds.
 *
 * ```
 * send:       a   b   hold(s)   c   d          e
 * store s:                   ─────── stored
 * delivered:  a   b                  c d       e
 * ```
 *
 * Nothing waits while no checkpoint is pending: `send` then delivers at once.
 */
export class CheckpointGate<T> {
  /** In order; when not empty, its head is a barrier still closed. */
  readonly #waiting: (Barrier | { readonly item: T })[] = [];

  constructor(
    /** How long a checkpoint may hold the client at most, ms (the store's timeout). */
    readonly timeoutMs: number,
    readonly deliver: (item: T) => void,
  ) {}

  /** Whether a checkpoint is holding what is sent now. */
  get isHolding(): boolean {
    return this.#waiting.length > 0;
  }

  /** Delivers `item` now, or after every checkpoint begun before it is open. */
  send(item: T): void {
    if (this.#waiting.length === 0) this.deliver(item);
    else this.#waiting.push({ item });
  }

  /** What is sent from now on waits until `written` settles, or `timeoutMs` passed. */
  holdUntil(written: Promise<unknown>): void {
    const barrier: Barrier = {
      isOpen: false,
      timer: setTimeout(() => this.#open(barrier), this.timeoutMs),
    };
    this.#waiting.push(barrier);
    const open = () => this.#open(barrier);
    written.then(open, open);
  }

  /** Delivers everything waiting now, without waiting for the store (the session ended). */
  release(): void {
    for (const entry of this.#waiting) if ('timer' in entry) this.#settle(entry);
    this.#flush();
  }

  /** Drops everything waiting (the client it was for is gone). */
  clear(): void {
    for (const entry of this.#waiting.splice(0)) if ('timer' in entry) this.#settle(entry);
  }

  #open(barrier: Barrier): void {
    if (barrier.isOpen) return;
    this.#settle(barrier);
    this.#flush();
  }

  /** Opens `barrier` without delivering (its timer is stopped). */
  #settle(barrier: Barrier): void {
    barrier.isOpen = true;
    clearTimeout(barrier.timer);
  }

  #flush(): void {
    while (this.#waiting.length > 0) {
      const head = this.#waiting[0]!;
      if ('timer' in head && !head.isOpen) return;
      this.#waiting.shift();
      if ('item' in head) this.deliver(head.item);
    }
  }
}
