import type { PlayerChunk } from './player-events';

/** Highest sample rate a chunk may declare (anything above is a corrupt header). */
export const MAX_CHUNK_SAMPLE_RATE = 384_000;

/**
 * Why `chunk` cannot be played, or undefined when it is well formed: a non-empty speechId, a
 * non-negative integer seq, an integer sample rate in 1..384000, Int16 or float samples.
 */
export function chunkProblem(chunk: PlayerChunk): string | undefined {
  if (typeof chunk.speechId !== 'string' || chunk.speechId === '')
    return 'speechId must be a non-empty string';
  if (!Number.isInteger(chunk.seq) || chunk.seq < 0)
    return `seq must be a non-negative integer, got ${chunk.seq}`;
  if (
    !Number.isInteger(chunk.sampleRate) ||
    chunk.sampleRate < 1 ||
    chunk.sampleRate > MAX_CHUNK_SAMPLE_RATE
  ) {
    return `sampleRate must be an integer in 1..${MAX_CHUNK_SAMPLE_RATE}, got ${chunk.sampleRate}`;
  }
  if (!(chunk.samples instanceof Int16Array || chunk.samples instanceof Float32Array)) {
    return 'samples must be an Int16Array or a Float32Array';
  }
  return undefined;
}
