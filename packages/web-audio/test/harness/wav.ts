import { writeFileSync } from 'node:fs';

/** Writes mono 16-bit PCM `samples` (floats in [-1, 1]) as a RIFF/WAVE file. */
export function writeWav(path: string, samples: Float32Array, sampleRate: number): void {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/**
 * A speech-like test signal: bursts ("syllables") of a few harmonics between 200 Hz and 3 kHz,
 * 80–320 ms long with 60–250 ms pauses, amplitudes varying. Its envelope is distinctive enough to
 * find again after capture, resampling and the browser's audio processing. Deterministic.
 */
export function syllables(sampleRate: number, durationMs: number, seed = 7): Float32Array {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const out = new Float32Array(Math.round((sampleRate * durationMs) / 1000));
  let at = Math.round(sampleRate * 0.3);
  while (at < out.length) {
    const length = Math.round(sampleRate * (0.08 + 0.24 * random()));
    const pitch = 200 + 250 * random();
    const amplitude = 0.2 + 0.5 * random();
    for (let i = 0; i < length && at + i < out.length; i++) {
      const t = i / sampleRate;
      const shape = Math.sin((Math.PI * i) / length);
      let s = 0;
      for (let h = 1; h <= 6; h++) s += Math.sin(2 * Math.PI * pitch * h * t) / h;
      out[at + i] = amplitude * shape * s * 0.5;
    }
    at += length + Math.round(sampleRate * (0.06 + 0.19 * random()));
  }
  return out;
}
