/** One chunk of agent audio on its way to a socket. */
export interface OutboundChunk {
  readonly speechId: string;
  readonly durationMs: number;
}

export interface OutboundAudioQueueOptions {
  /** Audio sent and not yet acked, ms. At least one chunk is always allowed in flight. */
  readonly windowMs: number;
  /** Audio waiting behind the window, ms. */
  readonly maxQueueMs: number;
}

/**
 * Per-socket flow control for agent audio. A chunk is sent at once while the client's unacked
 * audio stays within `windowMs`; otherwise it waits in a queue bounded by `maxQueueMs`.
 *
 * Drop policy: a chunk that does not fit the queue is dropped, and so is every later chunk of
 * the same speech; what was already queued is still sent, so the listener hears the speech up
 * to a clean cut, never a hole in the middle. Drops are
 * reported through `onDrop`. `purge(speechId)` forgets an interrupted speech's queued chunks.
 */
export class OutboundAudioQueue<C extends OutboundChunk> {
  readonly #queue: C[] = [];
  readonly #truncated = new Set<string>();
  #inFlightMs = 0;
  #queuedMs = 0;
  #isClosed = false;

  constructor(
    readonly options: OutboundAudioQueueOptions,
    readonly send: (chunk: C, onAck: () => void) => void,
    readonly onDrop: (chunk: C) => void,
  ) {}

  get inFlightMs(): number {
    return this.#inFlightMs;
  }

  get queuedMs(): number {
    return this.#queuedMs;
  }

  push(chunk: C): 'sent' | 'queued' | 'dropped' {
    if (this.#isClosed) return 'dropped';
    if (this.#truncated.has(chunk.speechId)) {
      this.onDrop(chunk);
      return 'dropped';
    }
    if (this.#queue.length === 0 && this.#fitsWindow(chunk)) {
      this.#sendNow(chunk);
      return 'sent';
    }
    if (this.#queuedMs + chunk.durationMs > this.options.maxQueueMs) {
      this.#truncate(chunk.speechId);
      this.onDrop(chunk);
      return 'dropped';
    }
    this.#queue.push(chunk);
    this.#queuedMs += chunk.durationMs;
    return 'queued';
  }

  /** Drops the queued chunks of a speech that was interrupted (not counted as drops). */
  purge(speechId: string): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const chunk = this.#queue[i]!;
      if (chunk.speechId !== speechId) continue;
      this.#queue.splice(i, 1);
      this.#queuedMs -= chunk.durationMs;
    }
    this.#pump();
  }

  /** Releases everything (socket gone). Later acks and pushes are ignored. */
  close(): void {
    this.#isClosed = true;
    this.#queue.length = 0;
    this.#queuedMs = 0;
    this.#truncated.clear();
  }

  #truncate(speechId: string): void {
    // Chunks already queued stay: they follow what was sent without a gap.
    this.#truncated.add(speechId);
    // Only the latest few speeches can still produce audio; keep the set small.
    if (this.#truncated.size > 16) this.#truncated.delete(this.#truncated.values().next().value!);
  }

  #fitsWindow(chunk: C): boolean {
    return this.#inFlightMs === 0 || this.#inFlightMs + chunk.durationMs <= this.options.windowMs;
  }

  #sendNow(chunk: C): void {
    this.#inFlightMs += chunk.durationMs;
    let isAcked = false;
    this.send(chunk, () => {
      if (isAcked || this.#isClosed) return;
      isAcked = true;
      this.#inFlightMs -= chunk.durationMs;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#fitsWindow(this.#queue[0]!)) {
      const chunk = this.#queue.shift()!;
      this.#queuedMs -= chunk.durationMs;
      this.#sendNow(chunk);
    }
  }
}
