/**
 * A sine tone as Int16 PCM: audible, non-silent stand-in audio for fake providers.
 * `phaseSamples` lets consecutive chunks join without clicks.
 */
export function sineTone(
  durationMs: number,
  sampleRate: number,
  { frequencyHz = 220, amplitude = 0.3, phaseSamples = 0 } = {},
): Int16Array {
  const length = Math.round((durationMs / 1000) * sampleRate);
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    samples[i] = Math.round(
      amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * (i + phaseSamples)) / sampleRate),
    );
  }
  return samples;
}

/** Silent Int16 PCM of the given length. */
export function silence(durationMs: number, sampleRate: number): Int16Array {
  return new Int16Array(Math.round((durationMs / 1000) * sampleRate));
}
