import { activeRms, levelDb, rms, type Samples, sameTypeAs, toFloat } from './samples';

/** Options of {@link mixAtSnr}. */
export interface MixOptions {
  /** Where in `noise` to start reading, in samples (it loops). Default 0. */
  readonly noiseOffset?: number;
  /**
   * Highest peak of the mix, 0..1 (Int16 full scale = 1). A louder mix is scaled down as a whole
   * (speech and noise together, so the SNR holds) instead of clipping. Default 0.95.
   */
  readonly peakLimit?: number;
}

/**
 * Adds `noise` under `speech` so that the speech's active level (see {@link activeRms}) is `snrDb`
 * above the noise's RMS level. The noise is cut (or looped) to the speech's length; the result is
 * as long as `speech` and of its sample type. Speech keeps its level unless the sum would exceed
 * `peakLimit`, in which case both are scaled down together.
 *
 * @example
 * ```ts
 * const noisy = mixAtSnr(question, pinkNoise(5_000, { seed: 1 }), 10); // 10 dB SNR
 * ```
 */
export function mixAtSnr<T extends Samples>(
  speech: T,
  noise: Samples,
  snrDb: number,
  options: MixOptions = {},
): T {
  if (noise.length === 0) throw new RangeError('mixAtSnr needs some noise samples');
  const voice = toFloat(speech);
  const offset = options.noiseOffset ?? 0;
  const bed = new Float32Array(voice.length);
  const noiseFloats = toFloat(noise);
  for (let i = 0; i < bed.length; i++) bed[i] = noiseFloats[(offset + i) % noiseFloats.length]!;
  const speechLevel = activeRms(voice);
  const noiseLevel = rms(bed);
  const gain = noiseLevel === 0 ? 0 : speechLevel / 10 ** (snrDb / 20) / noiseLevel;
  const out = new Float32Array(voice.length);
  let peak = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = voice[i]! + gain * bed[i]!;
    peak = Math.max(peak, Math.abs(out[i]!));
  }
  const limit = options.peakLimit ?? 0.95;
  if (peak > limit) for (let i = 0; i < out.length; i++) out[i]! *= limit / peak;
  return sameTypeAs(speech, out);
}

/**
 * The SNR of `mix` against the clean `speech` it was made from, dB: the speech's share is found
 * by least squares (so a mix scaled down as a whole still measures right), the rest is noise.
 * Use it to check a mix, or to state the SNR of audio mixed some other way.
 */
export function measureSnr(mix: Samples, speech: Samples): number {
  const total = toFloat(mix);
  const voice = toFloat(speech);
  const length = Math.min(total.length, voice.length);
  let cross = 0;
  let energy = 0;
  for (let i = 0; i < length; i++) {
    cross += total[i]! * voice[i]!;
    energy += voice[i]! * voice[i]!;
  }
  const scale = energy === 0 ? 0 : cross / energy;
  const scaled = new Float32Array(length);
  const residual = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    scaled[i] = scale * voice[i]!;
    residual[i] = total[i]! - scaled[i]!;
  }
  return levelDb(activeRms(scaled) / rms(residual));
}
