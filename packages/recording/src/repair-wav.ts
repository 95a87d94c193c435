import { open } from 'node:fs/promises';
import { WAV_HEADER_BYTES } from './wav-header';

/** What {@link repairWav} found. */
export interface RepairedWav {
  /** Bytes of PCM the file holds (whole stereo frames). */
  readonly dataBytes: number;
  readonly durationMs: number;
  /** The header's sizes were wrong (a recording that never finished) and were rewritten. */
  readonly wasRepaired: boolean;
}

/**
 * Rewrites the sizes in the header of a recording WAV from the file's length, in place. A
 * recording whose process died never had its header patched: its sizes say "unknown"
 * (0xFFFFFFFF), which ffmpeg, sox and browsers read to the end of the file but stricter readers
 * (Python's `wave`, some editors) refuse or read as empty. A file already right is left alone.
 * Only for the canonical 44-byte PCM header recordings are written with.
 *
 * @example
 * ```ts
 * const { durationMs, wasRepaired } = await repairWav('recordings/call-1.wav');
 * ```
 */
export async function repairWav(path: string): Promise<RepairedWav> {
  const file = await open(path, 'r+');
  try {
    const header = Buffer.alloc(WAV_HEADER_BYTES);
    const { bytesRead } = await file.read(header, 0, WAV_HEADER_BYTES, 0);
    const isRecording =
      bytesRead === WAV_HEADER_BYTES &&
      header.toString('ascii', 0, 4) === 'RIFF' &&
      header.toString('ascii', 8, 12) === 'WAVE' &&
      header.toString('ascii', 36, 40) === 'data';
    if (!isRecording) throw new Error(`${path} is not a recording WAV (44-byte PCM header)`);
    const frameBytes = header.readUInt16LE(32);
    const bytesPerSecond = header.readUInt32LE(28);
    const { size } = await file.stat();
    // A crash can leave half a frame at the end: it is not audio.
    const dataBytes = Math.floor((size - WAV_HEADER_BYTES) / frameBytes) * frameBytes;
    const wasRepaired = header.readUInt32LE(40) !== dataBytes || header.readUInt32LE(4) !== 36 + dataBytes;
    if (wasRepaired) {
      header.writeUInt32LE(36 + dataBytes, 4);
      header.writeUInt32LE(dataBytes, 40);
      await file.write(header, 0, WAV_HEADER_BYTES, 0);
    }
    return { dataBytes, durationMs: (dataBytes / bytesPerSecond) * 1000, wasRepaired };
  } finally {
    await file.close();
  }
}
