/**
 * Measuring audio in tests (plain math, no DOM): a float sine to feed a converter, and the
 * level, tone amplitude and dB figures to judge what came out.
 */

/** A sine tone as floats. */
export function sine(frequencyHz: number, sampleRate: number, length: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++)
    out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate);
  return out;
}

/** Root mean square of `samples` (numbers, any scale). */
export function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Amplitude of the `frequencyHz` component of `samples` (least-squares fit of sin + cos). */
export function toneAmplitude(
  samples: ArrayLike<number>,
  frequencyHz: number,
  sampleRate: number,
  from = 0,
  to = samples.length,
): number {
  return weightedToneAmplitude(samples, frequencyHz, sampleRate, from, to, () => 1);
}

/** 20·log10(a / b). */
export function decibels(a: number, b: number): number {
  return 20 * Math.log10(a / b);
}

/** Like {@link toneAmplitude} with a Hann window: a nearby stronger tone does not leak into it. */
export function windowedToneAmplitude(
  samples: ArrayLike<number>,
  frequencyHz: number,
  sampleRate: number,
  from = 0,
  to = samples.length,
): number {
  const n = to - from;
  return weightedToneAmplitude(
    samples,
    frequencyHz,
    sampleRate,
    from,
    to,
    (k) => 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (n - 1)),
  );
}

/**
 * The tone fit both share: `weight(k)` scales the k-th sample of the span (1 everywhere: no
 * window), and the sum of the weights normalizes the amplitude.
 */
function weightedToneAmplitude(
  samples: ArrayLike<number>,
  frequencyHz: number,
  sampleRate: number,
  from: number,
  to: number,
  weight: (k: number) => number,
): number {
  let s = 0;
  let c = 0;
  let weights = 0;
  for (let i = from; i < to; i++) {
    const w = weight(i - from);
    const phase = (2 * Math.PI * frequencyHz * i) / sampleRate;
    s += w * samples[i]! * Math.sin(phase);
    c += w * samples[i]! * Math.cos(phase);
    weights += w;
  }
  return (2 * Math.sqrt(s * s + c * c)) / weights;
}
