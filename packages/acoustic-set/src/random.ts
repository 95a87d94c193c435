/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same numbers on every
 * machine, so every generated clip is byte-for-byte reproducible.
 *
 * @example
 * ```ts
 * const random = seededRandom(7);
 * random(); // 0 ≤ x < 1, always the same first value for seed 7
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from text (FNV-1a), so each clip's noise is fixed by its id. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
