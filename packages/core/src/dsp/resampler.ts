import { kaiserBeta, kaiserLength, kaiserWindow } from './kaiser';

/** How a {@link SincResampler} converts. Frequencies in Hz. */
export interface ResamplerOptions {
  readonly inputRate: number;
  readonly outputRate: number;
  /**
   * Highest frequency kept (near 0 dB). Default: 0.6875 × the lower Nyquist
   * (5.5 kHz for 16 kHz output).
   */
  readonly passbandHz?: number;
  /**
   * From here up, everything is attenuated by at least `attenuationDb`, so nothing aliases.
   * Default: 0.875 × the lower Nyquist (7 kHz for 16 kHz output).
   */
  readonly stopbandHz?: number;
  /** Stopband attenuation, dB. Default 70. */
  readonly attenuationDb?: number;
  /**
   * Sub-sample positions of the filter table (linearly interpolated). Default 128; ignored when the
   * rates reduce to a ratio with at most 160 output positions per cycle (16 ↔ 48 kHz: 3 or 1; 44.1 → 16 kHz: 160), where
   * the table holds each position exactly and no interpolation is needed (half the work).
   */
  readonly phases?: number;
}

/**
 * Streaming sample-rate converter for mono float audio: a Kaiser-windowed sinc low-pass evaluated
 * at each output instant (polyphase table + linear interpolation between phases), so any ratio
 * works (44.1 → 16 kHz as well as 16 → 48 kHz) and the anti-aliasing filter comes with it.
 *
 * Output is time-aligned with input (output sample `k` is the input signal at `k / outputRate`)
 * but trails it by {@link SincResampler.latencyFrames} input samples until {@link SincResampler.flush}.
 * Chunks join seamlessly: feeding a signal in any split gives the same output.
 *
 * @example
 * const down = new SincResampler({ inputRate: 48_000, outputRate: 16_000 });
 * const out = down.process(block48k); // ~block48k.length / 3 samples
 */
export class SincResampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Input samples the output trails by. */
  readonly latencyFrames: number;
  private readonly step: number;
  private readonly half: number;
  private readonly taps: number;
  private readonly phases: number;
  private readonly table: Float32Array;
  private history: Float32Array;
  private length: number;
  /** Absolute input index of `history[0]`. */
  private base: number;
  /** Index of the next output sample; its input position is `produced · inputRate / outputRate`. */
  private produced = 0;
  private readonly isPassThrough: boolean;
  /** Rates reduced by their gcd when the table is exact (see {@link ResamplerOptions.phases}). */
  private readonly exact: { readonly input: number; readonly output: number } | undefined;

  constructor(options: ResamplerOptions) {
    const { inputRate, outputRate } = options;
    if (!(inputRate > 0 && outputRate > 0)) {
      throw new RangeError(`sample rates must be positive, got ${inputRate} → ${outputRate}`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.step = inputRate / outputRate;
    this.isPassThrough = inputRate === outputRate;
    const nyquist = Math.min(inputRate, outputRate) / 2;
    const passband = options.passbandHz ?? 0.6875 * nyquist;
    const stopband = options.stopbandHz ?? 0.875 * nyquist;
    if (!(passband > 0 && stopband > passband)) {
      throw new RangeError(`need 0 < passband < stopband, got ${passband} and ${stopband}`);
    }
    const attenuation = options.attenuationDb ?? 70;
    const cutoff = (passband + stopband) / 2 / inputRate;
    this.half = Math.ceil(kaiserLength(attenuation, stopband - passband, inputRate) / 2);
    this.taps = 2 * this.half;
    this.exact = exactRatio(inputRate, outputRate);
    this.phases = this.exact?.output ?? options.phases ?? 128;
    this.latencyFrames = this.isPassThrough ? 0 : this.half;
    this.table = buildTable(this.half, this.phases, cutoff, kaiserBeta(attenuation));
    // Start with `half` zeros before the first sample, so output 0 sits on input 0.
    this.history = new Float32Array(Math.max(1024, this.taps * 4));
    this.length = this.half;
    this.base = -this.half;
  }

  /** Feeds input and returns every output sample that can now be computed. */
  process(input: Float32Array): Float32Array {
    if (this.isPassThrough) return input.slice();
    this.append(input);
    return this.drain();
  }

  /**
   * Ends the stream: pushes the filter's tail out (as if silence followed) and returns the output
   * up to the last input sample. Do not call `process` afterwards.
   */
  flush(): Float32Array {
    if (this.isPassThrough) return new Float32Array(0);
    const end = this.base + this.length;
    this.append(new Float32Array(this.half + 1));
    return this.drain(end);
  }

  /** Exact for integer rates: no drift however long the stream runs. */
  private positionOf(outputIndex: number): number {
    return (outputIndex * this.inputRate) / this.outputRate;
  }

  private append(input: Float32Array): void {
    if (this.length + input.length > this.history.length) {
      const grown = new Float32Array(Math.max(this.history.length * 2, this.length + input.length));
      grown.set(this.history.subarray(0, this.length));
      this.history = grown;
    }
    this.history.set(input, this.length);
    this.length += input.length;
  }

  /** Computes outputs whose filter window lies inside the history (and before `limit`, if given). */
  private drain(limit = Number.POSITIVE_INFINITY): Float32Array {
    const { half, taps, phases, table, step } = this;
    const available = this.base + this.length;
    const count = Math.max(0, Math.floor((available - half - this.positionOf(this.produced)) / step) + 1);
    const out = new Float32Array(count);
    let produced = 0;
    const x = this.history;
    while (produced < count) {
      const t = this.positionOf(this.produced);
      if (t >= limit || Math.floor(t) + half >= available) break;
      let sum = 0;
      if (this.exact) {
        // Integer arithmetic: the position's fraction is exactly phase / phases.
        const scaled = this.produced * this.exact.input;
        const phase = scaled % this.exact.output;
        const row = phase * taps;
        const start = (scaled - phase) / this.exact.output - half + 1 - this.base;
        for (let k = 0; k < taps; k++) sum += x[start + k]! * table[row + k]!;
      } else {
        const whole = Math.floor(t);
        const fraction = (t - whole) * phases;
        const phase = Math.floor(fraction);
        const alpha = fraction - phase;
        const row0 = phase * taps;
        const row1 = row0 + taps;
        // x[whole - half + 1 + k] * h(k - half + 1 - frac)
        const start = whole - half + 1 - this.base;
        for (let k = 0; k < taps; k++) {
          const c0 = table[row0 + k]!;
          sum += x[start + k]! * (c0 + alpha * (table[row1 + k]! - c0));
        }
      }
      out[produced++] = sum;
      this.produced++;
    }
    // Drop input no future output needs.
    const keepFrom = Math.floor(this.positionOf(this.produced)) - half + 1 - this.base;
    if (keepFrom > 0) {
      x.copyWithin(0, keepFrom, this.length);
      this.length -= keepFrom;
      this.base += keepFrom;
    }
    return produced === count ? out : out.subarray(0, produced);
  }
}

/** Integer rates whose reduced output rate is at most 160 (44.1 → 16 kHz included): every output position is on the table. */
function exactRatio(inputRate: number, outputRate: number): { input: number; output: number } | undefined {
  if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate)) return undefined;
  let a = inputRate;
  let b = outputRate;
  while (b !== 0) [a, b] = [b, a % b];
  const output = outputRate / a;
  return output <= 160 ? { input: inputRate / a, output } : undefined;
}

/** Rows p = 0..phases: h(k - half + 1 - p/phases) for k = 0..2·half-1, each row summing to 1. */
function buildTable(half: number, phases: number, cutoff: number, beta: number): Float32Array {
  const taps = 2 * half;
  const table = new Float32Array((phases + 1) * taps);
  for (let p = 0; p <= phases; p++) {
    const fraction = p / phases;
    let sum = 0;
    const row = new Float64Array(taps);
    for (let k = 0; k < taps; k++) {
      const x = k - half + 1 - fraction;
      const arg = 2 * cutoff * x;
      const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      row[k] = 2 * cutoff * sinc * kaiserWindow(x, half, beta);
      sum += row[k]!;
    }
    for (let k = 0; k < taps; k++) table[p * taps + k] = row[k]! / sum;
  }
  return table;
}
