import type { WordTiming } from '@voxduplex/core';

/**
 * Holds word boundaries until the audio chunk they start in goes out. Azure sends a word's
 * boundary before its audio, so a chunk takes every held word that starts before its end.
 */
export class WordTimings {
  #held: WordTiming[] = [];

  add(word: WordTiming): void {
    this.#held.push(word);
  }

  /** Words starting before `chunkEndMs`, removed from the held list. */
  takeUntil(chunkEndMs: number): WordTiming[] | undefined {
    const taken = this.#held.filter((w) => w.startMs < chunkEndMs);
    if (taken.length === 0) return undefined;
    this.#held = this.#held.filter((w) => w.startMs >= chunkEndMs);
    return taken;
  }

  /** Everything still held (words past the last audio). */
  takeAll(): WordTiming[] | undefined {
    const taken = this.#held;
    this.#held = [];
    return taken.length === 0 ? undefined : taken;
  }
}
