import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RATE = 16_000;

/** Speaks `text` with a Flite voice (Debian's `flite`, then `sox` to 16 kHz mono) as Int16 samples. */
export function fliteSpeech(dir: string, text: string, voice: 'rms' | 'awb'): Int16Array {
  const name = text.replace(/\W+/g, '-');
  const raw = join(dir, `${name}.wav`);
  const converted = join(dir, `${name}-16k.wav`);
  execFileSync('flite', ['-voice', voice, '-t', text, '-o', raw]);
  execFileSync('sox', [raw, '-r', String(RATE), '-c', '1', '-b', '16', converted]);
  const file = readFileSync(converted);
  let offset = 12;
  while (offset + 8 <= file.length) {
    const size = file.readUInt32LE(offset + 4);
    if (file.toString('ascii', offset, offset + 4) === 'data') {
      const bytes = file.subarray(offset + 8, offset + 8 + size);
      return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`no data chunk in ${converted}`);
}

/** Silence of `ms`, at 16 kHz. */
export const silence = (ms: number) => new Int16Array((ms * RATE) / 1000);

/** Writes the parts one after the other as a 16 kHz mono 16-bit WAV file. */
export function writeWav(path: string, parts: readonly Int16Array[]): void {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const file = Buffer.alloc(44 + length * 2);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + length * 2, 4);
  file.write('WAVEfmt ', 8, 'ascii');
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(RATE, 24);
  file.writeUInt32LE(RATE * 2, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(length * 2, 40);
  let at = 44;
  for (const part of parts)
    for (const sample of part) {
      file.writeInt16LE(sample, at);
      at += 2;
    }
  writeFileSync(path, file);
}
