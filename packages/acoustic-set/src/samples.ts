/** The sample rate of every clip and helper in this package, Hz. */
export const SAMPLE_RATE = 16_000;

/** Mono PCM: Int16 as microphones and recognizers carry it, or floats in [-1, 1]. */
export type Samples = Int16Array | Float32Array;

/** The samples as floats in [-1, 1) (a copy). */
export function toFloat(samples: Samples): Float32Array {
  if (samples instanceof Float32Array) return samples.slice();
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Floats back to Int16 (rounded, clipped). */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  return out;
}

/** Floats in the same sample type as `like` (Int16 in → Int16 out). */
export function sameTypeAs<T extends Samples>(like: T, floats: Float32Array): T {
  return (like instanceof Int16Array ? toInt16(floats) : floats) as T;
}

/** Root-mean-square level of all samples, as a float level (1 = full scale). */
export function rms(samples: Samples): number {
  const floats = toFloat(samples);
  let sum = 0;
  for (const sample of floats) sum += sample * sample;
  return floats.length === 0 ? 0 : Math.sqrt(sum / floats.length);
}

/**
 * The RMS level of the voiced part only: the mean power of the 20 ms blocks within 35 dB of the
 * loudest block (a simple take on ITU-T P.56's active speech level). Pauses and the silence a
 * synthesizer leaves around the words do not dilute it, so an SNR against it means what a
 * listener hears while the person talks.
 */
export function activeRms(samples: Samples): number {
  const floats = toFloat(samples);
  const block = (SAMPLE_RATE * 20) / 1000;
  const powers: number[] = [];
  for (let at = 0; at + block <= floats.length; at += block) {
    let sum = 0;
    for (let i = at; i < at + block; i++) sum += floats[i]! * floats[i]!;
    powers.push(sum / block);
  }
  if (powers.length === 0) return rms(floats);
  const loudest = Math.max(...powers);
  const floor = loudest * 10 ** (-35 / 10);
  const active = powers.filter((power) => power >= floor && power > 0);
  return active.length === 0 ? 0 : Math.sqrt(active.reduce((sum, power) => sum + power, 0) / active.length);
}

/** Decibels of a level ratio (20·log10). */
export function levelDb(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** `durationMs` of digital silence. */
export function silence(durationMs: number): Int16Array {
  return new Int16Array(Math.round((durationMs * SAMPLE_RATE) / 1000));
}

/** Joins blocks end to end; a number stands for that many ms of silence. */
export function concat(...parts: (Int16Array | number)[]): Int16Array {
  const blocks = parts.map((part) => (typeof part === 'number' ? silence(part) : part));
  const out = new Int16Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

/** Duration of a 16 kHz block, ms. */
export function durationMs(samples: Samples): number {
  return (samples.length / SAMPLE_RATE) * 1000;
}
