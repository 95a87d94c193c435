/**
 * Cuts PCM samples into chunks of `chunkMs` (the last one shorter). Each chunk owns its buffer,
 * so a consumer may transfer it to another thread.
 */
export function splitSamples(samples: Int16Array, sampleRate: number, chunkMs: number): Int16Array[] {
  const size = Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
  const chunks: Int16Array[] = [];
  for (let start = 0; start < samples.length; start += size) chunks.push(samples.slice(start, start + size));
  return chunks;
}
