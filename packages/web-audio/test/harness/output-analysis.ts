/** Reading a tap recording: where sound is, where it breaks. */

/** Decodes the page's base64 Float32 recording. */
export function decodeRecording(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/**
 * A tap recording two ways: `rendered`, the quanta the audio thread rendered, back to back (what
 * the player produced), and `frameIndex(frame)`, where an AudioContext frame lies in it (or -1 for
 * a quantum the audio thread skipped). `skippedQuanta` counts those system-level glitches.
 */
export function readRecording(base64: string, quantumFrames: readonly number[]) {
  const rendered = decodeRecording(base64);
  const position = new Map<number, number>();
  for (const [q, frame] of quantumFrames.entries()) position.set(frame, q * 128);
  let skippedQuanta = 0;
  for (let q = 1; q < quantumFrames.length; q++)
    skippedQuanta += (quantumFrames[q]! - quantumFrames[q - 1]!) / 128 - 1;
  const frameIndex = (frame: number) => {
    const start = position.get(frame - (frame % 128));
    return start === undefined ? -1 : start + (frame % 128);
  };
  return { rendered, frameIndex, skippedQuanta };
}

/** Index of the first and last sample louder than `threshold`, or undefined when all is silent. */
export function soundSpan(
  samples: Float32Array,
  threshold = 1e-4,
): { first: number; last: number } | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > threshold) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? undefined : { first, last };
}

/**
 * Audible breaks in what should be one continuous sine of `frequencyHz` between `from` and `to`:
 * silent runs of at least `minSilence` samples, plus discontinuities (a sine obeys
 * x[n] = 2·cos(ω)·x[n-1] − x[n-2]; a dropped, repeated or zeroed stretch does not) that are not
 * the edges of such a silence. Each break is counted once.
 */
export function countBreaks(
  samples: Float32Array,
  frequencyHz: number,
  sampleRate: number,
  from: number,
  to: number,
  minSilence = Math.round(sampleRate / 1000),
): number {
  const k = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  const silences: { start: number; end: number }[] = [];
  let runStart = -1;
  for (let n = from; n <= to; n++) {
    const isSilent = n < to && Math.abs(samples[n]!) < 1e-4;
    if (isSilent && runStart < 0) runStart = n;
    if (!isSilent && runStart >= 0) {
      if (n - runStart >= minSilence) silences.push({ start: runStart, end: n });
      runStart = -1;
    }
  }
  // A gap's edges are part of the gap; other discontinuities within 5 ms of each other are one break.
  const merge = Math.round(sampleRate * 0.005);
  const nearSilence = (n: number) =>
    silences.some(({ start, end }) => Math.abs(n - start) <= merge || Math.abs(n - end) <= merge);
  let clicks = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (let n = from + 2; n < to; n++) {
    const predicted = k * samples[n - 1]! - samples[n - 2]!;
    if (Math.abs(samples[n]! - predicted) <= 2e-3 || nearSilence(n)) continue;
    if (n - lastAt > merge) clicks++;
    lastAt = n;
  }
  return silences.length + clicks;
}
