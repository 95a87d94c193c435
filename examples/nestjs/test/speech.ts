import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Speaks `text` with a Flite voice (Debian's `flite`) and returns it as 16 kHz mono Int16. */
export function fliteSpeech(dir: string, text: string, voice: 'rms' | 'awb' = 'rms'): Int16Array {
  const raw = join(dir, `${voice}-${text.length}.wav`);
  const converted = join(dir, `${voice}-${text.length}-16k.wav`);
  execFileSync('flite', ['-voice', voice, '-t', text, '-o', raw]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', converted]);
  return pcmOfWav(readFileSync(converted));
}

/** The samples of a PCM WAV file's `data` chunk. */
export function pcmOfWav(file: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'data') {
      const bytes = file.subarray(offset + 8, offset + 8 + size);
      return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in the WAV file');
}
