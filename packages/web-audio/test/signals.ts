/** Signal helpers for the Chromium tests (plain math, no DOM); the common ones live in core's testing. */
export { decibels, rms, sine, toneAmplitude, windowedToneAmplitude } from '@voxduplex/core/testing';

/** Mean absolute value per window of `windowSize` samples. */
export function envelope(samples: ArrayLike<number>, windowSize: number): number[] {
  const out: number[] = [];
  for (let start = 0; start + windowSize <= samples.length; start += windowSize) {
    let sum = 0;
    for (let i = start; i < start + windowSize; i++) sum += Math.abs(samples[i]!);
    out.push(sum / windowSize);
  }
  return out;
}

/** Pearson correlation of two equally long series. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** The value below which a share `q` (0..1) of `values` lies (lower nearest rank). */
export function quantileOf(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}
