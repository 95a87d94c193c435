import { seededRandom } from './random';
import { SAMPLE_RATE, toInt16 } from './samples';

/** Options of the noise generators. */
export interface NoiseOptions {
  /** Same seed, same samples. Default 1. */
  readonly seed?: number;
  /** RMS level of the result, 0..1 of full scale. Default 0.1 (−20 dBFS). */
  readonly level?: number;
}

/** Scales floats to an RMS `level` and converts to Int16. */
function atLevel(floats: Float32Array, level: number): Int16Array {
  let sum = 0;
  for (const sample of floats) sum += sample * sample;
  const current = Math.sqrt(sum / Math.max(1, floats.length));
  const gain = current === 0 ? 0 : level / current;
  for (let i = 0; i < floats.length; i++) floats[i]! *= gain;
  return toInt16(floats);
}

function sampleCount(durationMs: number): number {
  return Math.round((durationMs * SAMPLE_RATE) / 1000);
}

/** Seeded white noise at 16 kHz (flat spectrum: hiss). */
export function whiteNoise(durationMs: number, options: NoiseOptions = {}): Int16Array {
  const random = seededRandom(options.seed ?? 1);
  const out = new Float32Array(sampleCount(durationMs));
  for (let i = 0; i < out.length; i++) out[i] = random() * 2 - 1;
  return atLevel(out, options.level ?? 0.1);
}

/**
 * Seeded pink noise at 16 kHz (−3 dB per octave: the spectrum of fans, rain, a busy room's
 * rumble), from white noise through Paul Kellet's refined filter (±0.05 dB from 9 Hz up).
 */
export function pinkNoise(durationMs: number, options: NoiseOptions = {}): Int16Array {
  const random = seededRandom(options.seed ?? 1);
  const out = new Float32Array(sampleCount(durationMs));
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let i = 0; i < out.length; i++) {
    const white = random() * 2 - 1;
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
    b6 = white * 0.115926;
  }
  return atLevel(out, options.level ?? 0.1);
}

/** Options of {@link mainsHum}. */
export interface HumOptions extends NoiseOptions {
  /** Mains frequency: 50 (Europe, Asia, Africa) or 60 Hz (the Americas). Default 50. */
  readonly frequencyHz?: 50 | 60;
  /** Harmonics above the fundamental (odd ones strongest, as from a transformer). Default 12. */
  readonly harmonics?: number;
}

/**
 * Mains hum: the fundamental and its harmonics (odd ones at 1/n, even ones at 1/(2n)), with a
 * slow seeded wobble of each harmonic's level so it is not a perfectly steady tone.
 */
export function mainsHum(durationMs: number, options: HumOptions = {}): Int16Array {
  const random = seededRandom(options.seed ?? 1);
  const fundamental = options.frequencyHz ?? 50;
  const harmonics = options.harmonics ?? 12;
  const partials = Array.from({ length: harmonics + 1 }, (_, index) => {
    const n = index + 1;
    return {
      frequency: fundamental * n,
      amplitude: n % 2 === 1 ? 1 / n : 1 / (2 * n),
      phase: random() * 2 * Math.PI,
      wobbleHz: 0.2 + random() * 0.6,
    };
  });
  const out = new Float32Array(sampleCount(durationMs));
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    let sum = 0;
    for (const p of partials)
      sum +=
        p.amplitude *
        (1 + 0.1 * Math.sin(2 * Math.PI * p.wobbleHz * t)) *
        Math.sin(2 * Math.PI * p.frequency * t + p.phase);
    out[i] = sum;
  }
  return atLevel(out, options.level ?? 0.1);
}

/**
 * Babble: several talkers at once, each starting at a seeded point of its recording and looping,
 * all at the same level, summed and scaled to `level`. Pass recordings of other voices (see
 * {@link synthesizeSpeech}); four or more blur into the murmur of a café.
 */
export function babble(
  talkers: readonly Int16Array[],
  durationMs: number,
  options: NoiseOptions = {},
): Int16Array {
  if (talkers.length === 0) throw new RangeError('babble needs at least one talker');
  const random = seededRandom(options.seed ?? 1);
  const out = new Float32Array(sampleCount(durationMs));
  for (const talker of talkers) {
    if (talker.length === 0) continue;
    let sum = 0;
    for (const sample of talker) sum += sample * sample;
    const gain = 1 / Math.sqrt(sum / talker.length);
    const start = Math.floor(random() * talker.length);
    for (let i = 0; i < out.length; i++) out[i]! += talker[(start + i) % talker.length]! * gain;
  }
  return atLevel(out, options.level ?? 0.1);
}
