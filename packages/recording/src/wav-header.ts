/** Bytes of the canonical WAV header that precedes the samples. */
export const WAV_HEADER_BYTES = 44;

/** What a 16-bit PCM WAV header says. `dataBytes` undefined: not known yet (a recording still running). */
export interface WavFormat {
  readonly sampleRate: number;
  readonly channels: number;
  readonly dataBytes?: number;
}

/**
 * The 44-byte header of a 16-bit PCM WAV. With `dataBytes` unknown both sizes are 0xFFFFFFFF,
 * the convention for a stream still being written, which ffmpeg, sox and browsers read to the
 * end of the file: a recording cut by a crash still plays, and the sink patches the sizes at the end.
 */
export function wavHeader({ sampleRate, channels, dataBytes }: WavFormat): Uint8Array {
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (at: number, tag: string) => {
    for (let i = 0; i < 4; i++) header[at + i] = tag.charCodeAt(i);
  };
  const unknown = 0xffffffff;
  ascii(0, 'RIFF');
  view.setUint32(4, dataBytes === undefined ? unknown : 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true); // bytes per second
  view.setUint16(32, channels * 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes === undefined ? unknown : dataBytes, true);
  return header;
}
