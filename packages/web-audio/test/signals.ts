/** Signal helpers for the Chromium tests (plain math, no DOM); the common ones live in core's testing. */
export { decibels, rms, sine, toneAmplitude } from '@voxduplex/core/testing';

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

/** Like {@link toneAmplitude} with a Hann window: a nearby stronger tone does not leak into it. */
export function windowedToneAmplitude(
  samples: ArrayLike<number>,
  frequencyHz: number,
  sampleRate: number,
  from = 0,
  to = samples.length,
): number {
  let s = 0;
  let c = 0;
  let weights = 0;
  const n = to - from;
  for (let i = from; i < to; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i - from)) / (n - 1));
    const phase = (2 * Math.PI * frequencyHz * i) / sampleRate;
    s += w * samples[i]! * Math.sin(phase);
    c += w * samples[i]! * Math.cos(phase);
    weights += w;
  }
  return (2 * Math.sqrt(s * s + c * c)) / weights;
}
