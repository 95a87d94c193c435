// Measures of synthesized audio that a listener would notice: how long, how loud.

/** Duration of `sampleCount` samples at `sampleRate`, in seconds. */
export function durationSeconds(sampleCount: number, sampleRate: number): number {
  return sampleCount / sampleRate;
}

/** Root-mean-square level of Int16 samples, 0–32768 (silence is 0). */
export function rmsLevel(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

/** Joins chunks into one buffer. */
export function concatSamples(chunks: readonly Int16Array[]): Int16Array {
  const joined = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

/** Words per minute of `text` spoken in `seconds`. */
export function wordsPerMinute(text: string, seconds: number): number {
  return (text.split(/\s+/).filter(Boolean).length / seconds) * 60;
}
