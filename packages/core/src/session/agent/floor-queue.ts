import type { SayOptions } from '../voice-session';

/** A `say()` waiting for the floor; its speechId was already given to the caller. */
export interface QueuedSay {
  readonly kind: 'say';
  readonly text: string;
  readonly speechId: string;
  readonly options: SayOptions;
}

/** A user turn that came while the agent's speech could not be interrupted. */
export interface QueuedUserTurn {
  readonly kind: 'user';
  readonly text: string;
}

export type QueuedSpeech = QueuedUserTurn | QueuedSay;

/**
 * What waits for the agent to have the floor again, in arrival order: `say()` calls made while
 * it spoke, and user turns that could not interrupt a speech said with
 * `allowInterruptions: false`.
 */
export class FloorQueue {
  #queue: QueuedSpeech[] = [];

  get isEmpty(): boolean {
    return this.#queue.length === 0;
  }

  push(speech: QueuedSpeech): void {
    this.#queue.push(speech);
  }

  /** The next speech to start, in order. */
  shift(): QueuedSpeech | undefined {
    return this.#queue.shift();
  }

  /**
   * The user took the floor: queued agent speech is stale and dropped; the user turns that
   * waited are returned, to become context for the turn now starting.
   */
  yieldToUser(): string[] {
    const userTexts = this.#queue.flatMap((queued) => (queued.kind === 'user' ? [queued.text] : []));
    this.#queue = [];
    return userTexts;
  }

  clear(): void {
    this.#queue = [];
  }
}
