import { floatToInt16, int16ToFloat, SincResampler } from '@voxduplex/core/dsp';
import { decodeMulaw, encodeMulaw, MULAW_SILENCE } from './mulaw';

/** The telephone network's rate: μ-law is 8 000 samples (bytes) per second. */
export const PHONE_SAMPLE_RATE = 8000;
/** Samples in one 20 ms phone frame at 8 kHz: what carriers send and expect. */
export const PHONE_FRAME_SAMPLES = 160;

/**
 * The telephone band's edges for the resampler: keep everything up to 3.4 kHz (what the
 * network carries; the resampler's generic default would stop at 2.75 kHz and dull consonants)
 * and attenuate from 3.9 kHz, just under the 4 kHz Nyquist.
 */
const PHONE_BAND = { passbandHz: 3400, stopbandHz: 3900 } as const;

/**
 * The caller's voice for the recognizer: μ-law 8 kHz payloads of any length → Int16 PCM at
 * `sampleRate` (the STT's rate), through the shared anti-aliasing resampler. Chunks join
 * seamlessly; the output trails the input by the filter's few milliseconds.
 */
export class CallerAudioDecoder {
  readonly #resampler: SincResampler;

  constructor(readonly sampleRate: number) {
    this.#resampler = new SincResampler({
      inputRate: PHONE_SAMPLE_RATE,
      outputRate: sampleRate,
      ...PHONE_BAND,
    });
  }

  decode(mulaw: Uint8Array): Int16Array {
    const pcm8k = decodeMulaw(mulaw);
    if (this.sampleRate === PHONE_SAMPLE_RATE) return pcm8k;
    return floatToInt16(this.#resampler.process(int16ToFloat(pcm8k)));
  }
}

/** One 20 ms μ-law frame of agent speech, and where it ends in its speech's audio. */
export interface PhoneFrame {
  readonly mulaw: Uint8Array;
  /** Milliseconds of the speech's audio played once this frame has played. */
  readonly endMs: number;
}

/**
 * One agent speech for the phone: Int16 PCM at the TTS's rate, in chunks of any length →
 * 20 ms μ-law 8 kHz frames. The resampler keeps the telephone band (to 3.4 kHz) and removes what lies above 3.9 kHz first, so a 16 or 24 kHz
 * voice does not alias into the call. {@link flush} ends the speech: the filter's tail and the
 * last partial frame (padded with silence) come out.
 */
export class AgentAudioEncoder {
  readonly #resampler: SincResampler;
  #pending = new Int16Array(0);
  #producedSamples = 0;

  constructor(readonly inputRate: number) {
    this.#resampler = new SincResampler({ inputRate, outputRate: PHONE_SAMPLE_RATE, ...PHONE_BAND });
  }

  /** The whole frames `samples` completes (none while less than 20 ms is pending). */
  encode(samples: Int16Array): PhoneFrame[] {
    const pcm8k =
      this.inputRate === PHONE_SAMPLE_RATE
        ? samples
        : floatToInt16(this.#resampler.process(int16ToFloat(samples)));
    return this.#frames(pcm8k, false);
  }

  /** Ends the speech: the rest, as at most two frames (the last one padded with silence). */
  flush(): PhoneFrame[] {
    const tail =
      this.inputRate === PHONE_SAMPLE_RATE ? new Int16Array(0) : floatToInt16(this.#resampler.flush());
    return this.#frames(tail, true);
  }

  #frames(pcm8k: Int16Array, isEnd: boolean): PhoneFrame[] {
    const all = new Int16Array(this.#pending.length + pcm8k.length);
    all.set(this.#pending);
    all.set(pcm8k, this.#pending.length);
    const frames: PhoneFrame[] = [];
    let start = 0;
    for (; start + PHONE_FRAME_SAMPLES <= all.length; start += PHONE_FRAME_SAMPLES) {
      this.#producedSamples += PHONE_FRAME_SAMPLES;
      frames.push({
        mulaw: encodeMulaw(all.subarray(start, start + PHONE_FRAME_SAMPLES)),
        endMs: (this.#producedSamples / PHONE_SAMPLE_RATE) * 1000,
      });
    }
    this.#pending = all.slice(start);
    if (isEnd && this.#pending.length > 0) {
      const mulaw = new Uint8Array(PHONE_FRAME_SAMPLES).fill(MULAW_SILENCE);
      mulaw.set(encodeMulaw(this.#pending));
      this.#producedSamples += this.#pending.length;
      frames.push({ mulaw, endMs: (this.#producedSamples / PHONE_SAMPLE_RATE) * 1000 });
      this.#pending = new Int16Array(0);
    }
    return frames;
  }
}
