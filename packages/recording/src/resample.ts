/**
 * Mono Int16 PCM from `fromRate` to `toRate` by linear interpolation. Good enough for a call
 * recording's listening copy (TTS at 24 kHz into a 16 kHz file); not for feeding a recognizer.
 */
export function resampleLinear(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return samples;
  const length = Math.round((samples.length * toRate) / fromRate);
  const out = new Int16Array(length);
  const step = fromRate / toRate;
  const last = samples.length - 1;
  for (let i = 0; i < length; i++) {
    const at = i * step;
    const left = Math.min(Math.floor(at), last);
    const right = Math.min(left + 1, last);
    const fraction = at - left;
    out[i] = Math.round(samples[left]! * (1 - fraction) + samples[right]! * fraction);
  }
  return out;
}

/** The first channel of interleaved PCM (a recording keeps one channel per side). */
export function firstChannel(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) mono[i] = samples[i * channels]!;
  return mono;
}
