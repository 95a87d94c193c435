import { SAMPLE_RATE, type Samples, sameTypeAs, toFloat } from './samples';

/** A second-order section's kind (Robert Bristow-Johnson's cookbook shapes). */
export type BiquadType = 'low-pass' | 'high-pass' | 'band-pass';

/** One biquad filter. */
export interface BiquadOptions {
  readonly type: BiquadType;
  /** Corner (low/high-pass) or centre (band-pass) frequency, Hz, below 8 kHz. */
  readonly frequencyHz: number;
  /** Quality factor; default 0.7071 (Butterworth, no peak). */
  readonly q?: number;
}

/**
 * Runs `samples` (16 kHz) through one biquad; returns the same sample type. A stateless helper
 * for whole clips: each call starts from rest.
 */
export function biquad<T extends Samples>(samples: T, options: BiquadOptions): T {
  const { b0, b1, b2, a1, a2 } = coefficients(options);
  const input = toFloat(samples);
  const out = new Float32Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return sameTypeAs(samples, out);
}

/**
 * Keeps `lowHz`..`highHz`: two high-pass and two low-pass sections (−24 dB per octave outside),
 * the way a small loudspeaker and a laptop microphone shape the agent's voice coming back as echo.
 *
 * @example
 * ```ts
 * const throughSpeaker = bandPass(agentAudio, 250, 5_000);
 * ```
 */
export function bandPass<T extends Samples>(samples: T, lowHz: number, highHz: number): T {
  if (!(lowHz > 0 && highHz > lowHz && highHz < SAMPLE_RATE / 2))
    throw new RangeError(`band-pass needs 0 < low < high < ${SAMPLE_RATE / 2} Hz, got ${lowHz}..${highHz}`);
  let out = samples;
  for (let pass = 0; pass < 2; pass++) {
    out = biquad(out, { type: 'high-pass', frequencyHz: lowHz });
    out = biquad(out, { type: 'low-pass', frequencyHz: highHz });
  }
  return out;
}

function coefficients({ type, frequencyHz, q = Math.SQRT1_2 }: BiquadOptions) {
  if (!(frequencyHz > 0 && frequencyHz < SAMPLE_RATE / 2))
    throw new RangeError(`filter frequency must be within 0..${SAMPLE_RATE / 2} Hz, got ${frequencyHz}`);
  const w0 = (2 * Math.PI * frequencyHz) / SAMPLE_RATE;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const [b0, b1, b2] =
    type === 'low-pass'
      ? [(1 - cos) / 2, 1 - cos, (1 - cos) / 2]
      : type === 'high-pass'
        ? [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
        : [alpha, 0, -alpha];
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}
