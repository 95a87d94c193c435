import { FliteTts } from '@voxduplex/tts-flite';
import { lastValueFrom, toArray } from 'rxjs';
import { fromInt16, resample, SPEECH_SAMPLE_RATE, toInt16 } from './to-mono-16k';

/** Flite voices that sound unlike the agent's default `slt`. */
export type UserVoice = 'rms' | 'awb';

/**
 * Speaks each text with a Flite voice other than the agent's, as 16 kHz mono Int16 — a stand-in
 * for a user talking into a microphone. Uses its own `FliteTts` and closes it before returning,
 * so no worker thread outlives the call.
 */
export async function speakAsUser(texts: readonly string[], voice: UserVoice = 'rms'): Promise<Int16Array[]> {
  const tts = new FliteTts({ voice, extraWorkerIdleMs: 0 });
  try {
    const spoken: Int16Array[] = [];
    for (const text of texts) {
      const chunks = await lastValueFrom(tts.synthesize(text).pipe(toArray()));
      const joined = concatSamples(chunks.map((chunk) => chunk.samples));
      const rate = chunks[0]?.sampleRate ?? SPEECH_SAMPLE_RATE;
      spoken.push(
        rate === SPEECH_SAMPLE_RATE ? joined : toInt16(resample(fromInt16(joined), rate, SPEECH_SAMPLE_RATE)),
      );
    }
    return spoken;
  } finally {
    await tts.close();
  }
}

/** Joins blocks of samples end to end. */
export function concatSamples(blocks: readonly Int16Array[]): Int16Array {
  const joined = new Int16Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    joined.set(block, at);
    at += block.length;
  }
  return joined;
}

/** Voice is judged in windows of this many ms… */
const WINDOW_MS = 10;
/** …and must hold for this many windows in a row: a click (a synthesizer's first sample) is no voice. */
const SUSTAINED_WINDOWS = 3;

/**
 * Where the voice is in 16 kHz samples, in ms from the start: from the first to the end of the
 * last run of at least 30 ms whose 10 ms windows are louder (RMS) than `level`. A click — Flite
 * starts its audio with one, a few hundred ms before the voice — does not count. Undefined for
 * silence.
 */
export function voicedSpan(
  samples: Int16Array,
  level = 300,
): { onsetMs: number; offsetMs: number } | undefined {
  const windowSamples = (SPEECH_SAMPLE_RATE * WINDOW_MS) / 1000;
  const windows = Math.ceil(samples.length / windowSamples);
  const isLoud = (window: number) => {
    const from = window * windowSamples;
    const to = Math.min(samples.length, from + windowSamples);
    let sum = 0;
    for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
    return Math.sqrt(sum / (to - from)) > level;
  };
  let first = -1;
  let last = -1;
  for (let window = 0, run = 0; window < windows; window++) {
    run = isLoud(window) ? run + 1 : 0;
    if (run < SUSTAINED_WINDOWS) continue;
    if (first < 0) first = window - SUSTAINED_WINDOWS + 1;
    last = window;
  }
  if (first < 0) return undefined;
  const toMs = (sample: number) => (sample * 1000) / SPEECH_SAMPLE_RATE;
  return {
    onsetMs: toMs(first * windowSamples),
    offsetMs: toMs(Math.min(samples.length, (last + 1) * windowSamples)),
  };
}
