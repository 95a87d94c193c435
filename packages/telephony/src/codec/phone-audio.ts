import { floatToInt16, int16ToFloat, SincResampler } from '@voxduplex/core/dsp';
import { decodePayload, encodePayload, frameSamples, PCMU_8K, type PhoneAudioFormat } from './phone-format';

/** The telephone network's rate: μ-law is 8 000 samples (bytes) per second. */
export const PHONE_SAMPLE_RATE = 8000;
/** Samples in one 20 ms phone frame at 8 kHz: what carriers send and expect. */
export const PHONE_FRAME_SAMPLES = 160;

/**
 * The resampler's band edges between two rates: keep 85 % of the lower Nyquist and attenuate
 * from 97.5 %. At 8 kHz that is the telephone band, 3.4 kHz kept and 3.9 kHz gone (the
 * resampler's generic default would stop at 2.75 kHz and dull consonants).
 */
function bandBetween(inputRate: number, outputRate: number) {
  const nyquist = Math.min(inputRate, outputRate) / 2;
  return { passbandHz: nyquist * 0.85, stopbandHz: nyquist * 0.975 };
}

function resamplerBetween(inputRate: number, outputRate: number): SincResampler | undefined {
  if (inputRate === outputRate) return undefined;
  return new SincResampler({ inputRate, outputRate, ...bandBetween(inputRate, outputRate) });
}

/**
 * The caller's voice for the recognizer: payloads of the stream's format (μ-law 8 kHz by
 * default), of any length → Int16 PCM at `sampleRate` (the STT's rate), through the shared
 * anti-aliasing resampler. Chunks join seamlessly; the output trails the input by the filter's
 * few milliseconds (nothing when the rates match: L16 16 kHz into a 16 kHz STT passes through).
 */
export class CallerAudioDecoder {
  readonly #resampler: SincResampler | undefined;

  constructor(
    readonly sampleRate: number,
    readonly format: PhoneAudioFormat = PCMU_8K,
  ) {
    this.#resampler = resamplerBetween(format.sampleRate, sampleRate);
  }

  decode(payload: Uint8Array): Int16Array {
    const pcm = decodePayload(this.format, payload);
    return this.#resampler ? floatToInt16(this.#resampler.process(int16ToFloat(pcm))) : pcm;
  }
}

/** One 20 ms frame of agent speech in the stream's format, and where it ends in its speech's audio. */
export interface PhoneFrame {
  /** The encoded frame, as a media message carries it (160 bytes of μ-law at 8 kHz). */
  readonly payload: Uint8Array;
  /** Milliseconds of the speech's audio played once this frame has played. */
  readonly endMs: number;
}

/**
 * One agent speech for the phone: Int16 PCM at the TTS's rate, in chunks of any length →
 * 20 ms frames of the stream's format (μ-law 8 kHz by default). The resampler keeps the band
 * below the line's Nyquist and removes what lies above first, so a 16 or 24 kHz voice does not
 * alias into the call. {@link flush} ends the speech: the filter's tail and the last partial
 * frame (padded with silence) come out.
 */
export class AgentAudioEncoder {
  readonly #resampler: SincResampler | undefined;
  readonly #frameSamples: number;
  #pending = new Int16Array(0);
  #producedSamples = 0;

  constructor(
    readonly inputRate: number,
    readonly format: PhoneAudioFormat = PCMU_8K,
  ) {
    this.#resampler = resamplerBetween(inputRate, format.sampleRate);
    this.#frameSamples = frameSamples(format);
  }

  /** The whole frames `samples` completes (none while less than 20 ms is pending). */
  encode(samples: Int16Array): PhoneFrame[] {
    const pcm = this.#resampler ? floatToInt16(this.#resampler.process(int16ToFloat(samples))) : samples;
    return this.#frames(pcm, false);
  }

  /** Ends the speech: the rest, as at most two frames (the last one padded with silence). */
  flush(): PhoneFrame[] {
    const tail = this.#resampler ? floatToInt16(this.#resampler.flush()) : new Int16Array(0);
    return this.#frames(tail, true);
  }

  #frames(pcm: Int16Array, isEnd: boolean): PhoneFrame[] {
    const size = this.#frameSamples;
    const rate = this.format.sampleRate;
    const all = new Int16Array(this.#pending.length + pcm.length);
    all.set(this.#pending);
    all.set(pcm, this.#pending.length);
    const frames: PhoneFrame[] = [];
    let start = 0;
    for (; start + size <= all.length; start += size) {
      this.#producedSamples += size;
      frames.push({
        payload: encodePayload(this.format, all.subarray(start, start + size)),
        endMs: (this.#producedSamples / rate) * 1000,
      });
    }
    this.#pending = all.slice(start);
    if (isEnd && this.#pending.length > 0) {
      const padded = new Int16Array(size);
      padded.set(this.#pending);
      this.#producedSamples += this.#pending.length;
      frames.push({
        payload: encodePayload(this.format, padded),
        endMs: (this.#producedSamples / rate) * 1000,
      });
      this.#pending = new Int16Array(0);
    }
    return frames;
  }
}
