/**
 * The PCM the emulator "speaks" for a text: `msPerChar` per character, a deterministic non-silent
 * pattern, little-endian Int16. Tests can compute the expected length from the text alone.
 */
export function synthesizedPcm(text: string, sampleRate: number, msPerChar: number): Buffer {
  const samples = Math.round((text.length * msPerChar * sampleRate) / 1000);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(((i % 64) - 32) * 256, i * 2);
  return pcm;
}

/** A 44-byte RIFF/WAVE header for mono 16-bit PCM, as the real service puts before LINEAR16 audio. */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
