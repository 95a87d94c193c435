import type { DecodedWav } from './wav-file';

/** The rate PocketSphinx and Silero want. */
export const SPEECH_SAMPLE_RATE = 16000;

/** Zero crossings of the sinc kernel on each side: enough for speech, cheap enough for files. */
const KERNEL_HALF_WIDTH = 12;

/**
 * Converts decoded WAV audio to 16 kHz mono Int16, as the local recognizer needs: channels are
 * averaged, the rate is changed with a Hann-windowed sinc filter (low-passed below the new
 * Nyquist frequency when downsampling), and values are clipped to 16 bits.
 */
export function toMono16k(wav: DecodedWav): Int16Array {
  return toInt16(resample(downmix(wav.samples, wav.channels), wav.sampleRate, SPEECH_SAMPLE_RATE));
}

/** Averages interleaved channels into one. */
export function downmix(samples: Float32Array, channels: number): Float32Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const mono = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c]!;
    mono[f] = sum / channels;
  }
  return mono;
}

/** Band-limited resampling of mono audio from `fromRate` to `toRate` (Hz). */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples;
  const step = fromRate / toRate;
  // Cut-off relative to the input's Nyquist: below the output's Nyquist when downsampling.
  const cutoff = Math.min(1, toRate / fromRate);
  const halfWidth = KERNEL_HALF_WIDTH / cutoff;
  const out = new Float32Array(Math.floor(samples.length / step));
  for (let i = 0; i < out.length; i++) {
    const center = i * step;
    const first = Math.max(0, Math.ceil(center - halfWidth));
    const last = Math.min(samples.length - 1, Math.floor(center + halfWidth));
    let sum = 0;
    let weights = 0;
    for (let j = first; j <= last; j++) {
      const x = j - center;
      const weight = cutoff * sinc(cutoff * x) * (0.5 + 0.5 * Math.cos((Math.PI * x) / halfWidth));
      sum += samples[j]! * weight;
      weights += weight;
    }
    out[i] = weights === 0 ? 0 : sum / weights;
  }
  return out;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** −1…1 floats to Int16, clipped. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  return out;
}

/** Int16 to −1…1 floats. */
export function fromInt16(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}
