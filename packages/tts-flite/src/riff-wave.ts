/** Where the samples of a 16-bit PCM RIFF/WAVE file are, and at what rate. */
export interface RiffWaveLayout {
  readonly sampleRate: number;
  readonly channels: number;
  /** Byte offset of the first sample. */
  readonly dataOffset: number;
}

/**
 * Reads the layout of a RIFF/WAVE header (the `fmt ` and `data` chunks). Returns `undefined`
 * when the bytes are not a complete 16-bit PCM header yet.
 */
export function readRiffWaveLayout(bytes: Uint8Array): RiffWaveLayout | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let sampleRate: number | undefined;
  let channels: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 24 <= bytes.length) {
      const format = view.getUint16(offset + 8, true);
      const bitsPerSample = view.getUint16(offset + 22, true);
      if (format !== 1 || bitsPerSample !== 16) return undefined;
      channels = view.getUint16(offset + 10, true);
      sampleRate = view.getUint32(offset + 12, true);
    }
    if (id === 'data') {
      if (sampleRate === undefined || channels === undefined) return undefined;
      return { sampleRate, channels, dataOffset: offset + 8 };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
