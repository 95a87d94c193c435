/**
 * A chunk of user (microphone) audio: interleaved signed 16-bit PCM.
 *
 * `startMs` is the chunk's position in the session's audio stream (0 = first sample the
 * session received), not wall-clock time, so transcript times and audio line up exactly.
 */
export interface AudioFrame {
  readonly samples: Int16Array;
  /** Samples per second per channel, e.g. 16000. */
  readonly sampleRate: number;
  readonly channels: number;
  /** Position of the first sample in the session's audio stream, in milliseconds. */
  readonly startMs: number;
  /** Optional transport sequence number, for loss detection. */
  readonly seq?: number;
}

/** Duration of a block of interleaved PCM in milliseconds. */
export function pcmDurationMs(sampleCount: number, sampleRate: number, channels = 1): number {
  return (sampleCount / channels / sampleRate) * 1000;
}

/** Duration of an {@link AudioFrame} in milliseconds. */
export function audioFrameDurationMs(frame: Pick<AudioFrame, 'samples' | 'sampleRate' | 'channels'>): number {
  return pcmDurationMs(frame.samples.length, frame.sampleRate, frame.channels);
}

/**
 * Views little-endian 16-bit PCM bytes as an `Int16Array` without copying when the bytes are
 * aligned, copying otherwise. Throws a `RangeError` for an odd byte length.
 */
export function int16FromBytes(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`odd PCM byte length ${bytes.byteLength}`);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  // Copy through a fresh Uint8Array: `slice()` on a Node Buffer is a view, not a copy.
  return new Int16Array(new Uint8Array(bytes).buffer);
}

/** The bytes of an `Int16Array` as a `Uint8Array` view (no copy). */
export function bytesFromInt16(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}
