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

/**
 * Where the voice is in 16 kHz samples: first and last sample louder than `level`, in ms from the
 * start. Undefined for silence.
 */
export function voicedSpan(
  samples: Int16Array,
  level = 300,
): { onsetMs: number; offsetMs: number } | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > level) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return undefined;
  return { onsetMs: (first * 1000) / SPEECH_SAMPLE_RATE, offsetMs: ((last + 1) * 1000) / SPEECH_SAMPLE_RATE };
}
