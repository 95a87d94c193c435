/**
 * Gain of sample `index` (0-based) of a linear fade-out `length` samples long: starts just below 1
 * and reaches exactly 0 after the last sample, so the sample after the fade is silent.
 */
export function fadeOutGain(index: number, length: number): number {
  if (length <= 0 || index >= length) return 0;
  return (length - 1 - index) / length;
}

/** Gain of sample `index` of a linear fade-in `length` samples long (mirror of {@link fadeOutGain}). */
export function fadeInGain(index: number, length: number): number {
  if (length <= 0 || index >= length) return 1;
  return (index + 1) / length;
}

/** Fade length in samples for `fadeMs` at `sampleRate`, at least one sample. */
export function fadeLength(fadeMs: number, sampleRate: number): number {
  return Math.max(1, Math.round((fadeMs / 1000) * sampleRate));
}
