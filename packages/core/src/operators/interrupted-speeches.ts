/** Interrupted speeches remembered; older ones cannot have chunks in flight any more. */
const REMEMBERED_SPEECHES = 256;

/**
 * The speeches interrupted lately (the last 256), for guards that drop what is still in flight
 * for them: {@link dropInterrupted} and a session's outbound lane.
 */
export class InterruptedSpeeches {
  readonly #speechIds = new Set<string>();

  add(speechId: string): void {
    this.#speechIds.add(speechId);
    if (this.#speechIds.size > REMEMBERED_SPEECHES)
      this.#speechIds.delete(this.#speechIds.values().next().value as string);
  }

  has(speechId: string): boolean {
    return this.#speechIds.has(speechId);
  }
}
