/**
 * What a fault-injecting provider does with one request. Faults are asked for by *words in the
 * conversation* (the user says `llm-fail-mid`; the LLM repeats `tts-*` words in its reply, so TTS
 * sees them), which lets a test pick a fault per turn and per session through the real
 * transport, with no side channel.
 *
 * - `fail-first`: error before any output.
 * - `fail-mid`: some output, then an error.
 * - `stall`: a long pause before the output, then normal.
 * - `hang`: no output and no end; only cancelling the request ends it.
 * - `slow`: output far slower than normal (TTS slower than real time).
 */
export type FaultKind = 'fail-first' | 'fail-mid' | 'stall' | 'hang' | 'slow';

/** Every fault kind, for generators. */
export const FAULT_KINDS: readonly FaultKind[] = ['fail-first', 'fail-mid', 'stall', 'hang', 'slow'];

/** A provider a fault word is aimed at. */
export type FaultTarget = 'llm' | 'tts';

/** The word that asks `target` for `kind`, e.g. `llm-fail-mid`. */
export function faultWord(target: FaultTarget, kind: FaultKind): string {
  return `${target}-${kind}`;
}

/** The first fault word for `target` in `text`, if any. */
export function faultIn(text: string, target: FaultTarget): FaultKind | undefined {
  const match = new RegExp(`\\b${target}-(fail-first|fail-mid|stall|hang|slow)\\b`).exec(text);
  return match?.[1] as FaultKind | undefined;
}

/** Whether a fault of this kind keeps its request open until it is cancelled. */
export function isEndless(kind: FaultKind | undefined): boolean {
  return kind === 'hang';
}

/** How many faults each provider injected, by kind (outage failures count as `fail-first`). */
export class FaultTally {
  readonly #counts = new Map<string, number>();

  add(provider: string, kind: FaultKind | 'outage' | 'stream-error' | 'stream-end'): void {
    const key = `${provider}:${kind}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  /** `{ 'llm:fail-mid': 3, 'stt:outage': 7, … }` */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
