import { bandPass } from './filter';
import { SAMPLE_RATE, type Samples, sameTypeAs, toFloat } from './samples';

/**
 * Shifts `samples` later by `delayMs` (zeros first), keeping the length: the tail that would
 * run past the end is dropped, so the result lines up sample for sample with the original.
 */
export function delay<T extends Samples>(samples: T, delayMs: number): T {
  if (!(delayMs >= 0)) throw new RangeError(`delay must be ≥ 0 ms, got ${delayMs}`);
  const shift = Math.round((delayMs * SAMPLE_RATE) / 1000);
  const input = toFloat(samples);
  const out = new Float32Array(input.length);
  out.set(input.subarray(0, Math.max(0, input.length - shift)), Math.min(shift, input.length));
  return sameTypeAs(samples, out);
}

/** Changes the level by `gainDb` (negative: quieter), clipping Int16 at full scale. */
export function attenuate<T extends Samples>(samples: T, gainDb: number): T {
  const gain = 10 ** (gainDb / 20);
  const out = toFloat(samples);
  for (let i = 0; i < out.length; i++) out[i]! *= gain;
  return sameTypeAs(samples, out);
}

/**
 * Adds blocks sample by sample (the result as long as the longest, in the first block's type,
 * Int16 clipped): a microphone hearing the user and the loudspeaker at once.
 */
export function sum<T extends Samples>(first: T, ...others: readonly Samples[]): T {
  const length = Math.max(first.length, ...others.map((other) => other.length));
  const out = new Float32Array(length);
  for (const block of [first, ...others]) {
    const floats = toFloat(block);
    for (let i = 0; i < floats.length; i++) out[i]! += floats[i]!;
  }
  return sameTypeAs(first, out);
}

/** How the agent's voice comes back into the microphone, for {@link echoOf}. */
export interface EchoPathOptions {
  /** Loudspeaker → microphone delay plus the device's buffering, ms (rooms: 20–150). */
  readonly delayMs: number;
  /** Level of the echo relative to the agent's audio, dB (−6 loud laptop … −20 headset bleed). */
  readonly gainDb: number;
  /** What the small loudspeaker passes, Hz. Default 250..5 000. */
  readonly bandHz?: readonly [low: number, high: number];
}

/**
 * The agent's own audio as a microphone would pick it up from the loudspeakers: band-passed,
 * delayed and attenuated; as long as `agentAudio`. Mix it under the user's voice with {@link sum}.
 *
 * @example
 * ```ts
 * const mic = sum(userSpeech, echoOf(agentAudio, { delayMs: 80, gainDb: -12 }));
 * ```
 */
export function echoOf<T extends Samples>(agentAudio: T, options: EchoPathOptions): T {
  const [low, high] = options.bandHz ?? [250, 5_000];
  return attenuate(delay(bandPass(agentAudio, low, high), options.delayMs), options.gainDb);
}
