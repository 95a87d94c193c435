import { int16View } from './aligned-pcm';
import { bytesOf } from './binary';
import { PROTOCOL_VERSION } from './version';

/** Size of the fixed header in front of the PCM of an `audio` frame, bytes. */
export const MIC_FRAME_HEADER_BYTES = 12;

/**
 * One decoded microphone frame. Layout of the binary `audio` payload (little-endian):
 *
 * ```
 * offset 0  u8   protocol version (1)
 * offset 1  u8   channels (1)
 * offset 2  u16  reserved, 0
 * offset 4  u32  seq         (frame counter, wraps at 2^32)
 * offset 8  u32  sampleRate  (Hz)
 * offset 12 …    Int16 PCM   (even byte length)
 * ```
 */
export interface MicFrame {
  readonly seq: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly samples: Int16Array;
}

/** Why a payload is not a microphone frame. */
export type MicFrameProblem = 'not_binary' | 'bad_frame';

/** Encodes samples into one binary `audio` payload (copies the PCM once). */
export function encodeMicFrame(samples: Int16Array, seq: number, sampleRate: number): ArrayBuffer {
  const buffer = new ArrayBuffer(MIC_FRAME_HEADER_BYTES + samples.byteLength);
  writeMicFrame(new Uint8Array(buffer), samples, seq, sampleRate);
  return buffer;
}

/**
 * Writes the frame (header, then PCM) at the start of `target`, which must hold
 * `MIC_FRAME_HEADER_BYTES + samples.byteLength` bytes; any alignment.
 */
export function writeMicFrame(
  target: Uint8Array,
  samples: Int16Array,
  seq: number,
  sampleRate: number,
): void {
  const view = new DataView(target.buffer, target.byteOffset, MIC_FRAME_HEADER_BYTES);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint8(1, 1);
  view.setUint16(2, 0, true);
  view.setUint32(4, seq >>> 0, true);
  view.setUint32(8, sampleRate, true);
  // Int16Array memory is little-endian on every platform a browser or Node runs on.
  target.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), MIC_FRAME_HEADER_BYTES);
}

/**
 * Decodes a binary `audio` payload. Never throws: a payload that is not binary, has a short or
 * unknown header, or an odd PCM byte length comes back as `{ problem, detail }`.
 */
export function decodeMicFrame(
  payload: unknown,
): { frame: MicFrame } | { problem: MicFrameProblem; detail: string } {
  const bytes = bytesOf(payload);
  if (!bytes) return { problem: 'not_binary', detail: `audio must be binary, got ${describe(payload)}` };
  if (bytes.byteLength < MIC_FRAME_HEADER_BYTES)
    return { problem: 'bad_frame', detail: `audio frame of ${bytes.byteLength} bytes has no full header` };
  // Read the header byte by byte: a DataView per 20 ms frame is an allocation for nothing.
  const version = bytes[0]!;
  if (version !== PROTOCOL_VERSION)
    return { problem: 'bad_frame', detail: `audio frame version ${version}, expected ${PROTOCOL_VERSION}` };
  const channels = bytes[1]!;
  if (channels !== 1)
    return { problem: 'bad_frame', detail: `audio frame has ${channels} channels, expected 1` };
  const pcmBytes = bytes.byteLength - MIC_FRAME_HEADER_BYTES;
  if (pcmBytes % 2 !== 0) return { problem: 'bad_frame', detail: `odd PCM byte length ${pcmBytes}` };
  return {
    frame: {
      seq: uint32At(bytes, 4),
      sampleRate: uint32At(bytes, 8),
      channels,
      samples: int16View(bytes.subarray(MIC_FRAME_HEADER_BYTES)),
    },
  };
}

function uint32At(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
