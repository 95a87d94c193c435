import type { WebSocket } from 'ws';

/**
 * Sends frames in order, optionally each after a delay (the "slow service" fault), and drops
 * whatever is still queued once the socket closed.
 */
export class Outbox {
  #tail: Promise<void> = Promise.resolve();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly socket: WebSocket,
    private readonly delayMs = 0,
  ) {}

  send(frame: string | Buffer): void {
    if (this.delayMs <= 0) {
      this.#write(frame);
      return;
    }
    this.#tail = this.#tail.then(
      () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            this.#write(frame);
            resolve();
          }, this.delayMs);
          this.#timers.add(timer);
        }),
    );
  }

  /** Runs `action` after every frame queued so far went out. */
  afterQueued(action: () => void): void {
    if (this.delayMs <= 0) action();
    else this.#tail = this.#tail.then(action);
  }

  /** Drops queued frames; call when the socket closes. */
  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #write(frame: string | Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }
}
