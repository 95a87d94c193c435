import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioFrame } from '@voxduplex/core';

/** A temp folder for generated WAVs; `remove()` deletes it. */
export function audioWorkspace(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'voxduplex-speech-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Speaks `text` with a Flite voice and returns it as 16 kHz mono Int16 (via sox). */
export function fliteSpeech(dir: string, text: string, voice: 'rms' | 'awb' | 'slt' = 'rms'): Int16Array {
  const name = `${voice}-${text.replace(/\W+/g, '-').slice(0, 40)}`;
  const raw = join(dir, `${name}.raw.wav`);
  const wav = join(dir, `${name}.wav`);
  execFileSync('flite', ['-voice', voice, '-t', text, '-o', raw]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', wav]);
  return readWavSamples(readFileSync(wav));
}

/** The samples of a 16-bit PCM WAV (walks the RIFF chunks to find `data`). */
export function readWavSamples(bytes: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const data = bytes.subarray(offset + 8, offset + 8 + size);
      return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in WAV');
}

/** Joins blocks of samples, with `silenceMs` of digital silence where a number is given. */
export function sequence(...parts: (Int16Array | number)[]): Int16Array {
  const blocks = parts.map((part) =>
    typeof part === 'number' ? new Int16Array((part * 16000) / 1000) : part,
  );
  const joined = new Int16Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    joined.set(block, at);
    at += block.length;
  }
  return joined;
}

/** Cuts 16 kHz mono samples into consecutive frames of `frameMs` with timeline positions. */
export function toFrames(samples: Int16Array, frameMs = 20, startMs = 0): AudioFrame[] {
  const size = (16000 * frameMs) / 1000;
  const frames: AudioFrame[] = [];
  for (let at = 0; at < samples.length; at += size) {
    frames.push({
      samples: samples.slice(at, at + size),
      sampleRate: 16000,
      channels: 1,
      startMs: startMs + (at / 16000) * 1000,
    });
  }
  return frames;
}

/** Where the first and last sample louder than `level` are, in ms (the true speech span). */
export function loudSpan(
  samples: Int16Array,
  startMs = 0,
  level = 300,
): { onsetMs: number; offsetMs: number } {
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > level) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return { onsetMs: startMs + first / 16, offsetMs: startMs + last / 16 };
}

/** A sine tone at 16 kHz, `amplitude` in 0..1. */
export function tone(durationMs: number, frequencyHz: number, amplitude = 0.3): Int16Array {
  const samples = new Int16Array((durationMs * 16000) / 1000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / 16000));
  }
  return samples;
}

/** Chords of sine tones changing every `noteMs` (a crude stand-in for music). */
export function melody(durationMs: number, noteMs = 250): Int16Array {
  const notes = [262, 330, 392, 523, 440, 349, 294, 247];
  const samples = new Int16Array((durationMs * 16000) / 1000);
  for (let i = 0; i < samples.length; i++) {
    const note = notes[Math.floor(i / ((noteMs * 16000) / 1000)) % notes.length]!;
    const t = i / 16000;
    samples[i] = Math.round(
      8000 * (Math.sin(2 * Math.PI * note * t) + 0.5 * Math.sin(2 * Math.PI * note * 1.5 * t)),
    );
  }
  return samples;
}

/** Deterministic white noise (a linear congruential generator), `amplitude` in 0..1. */
export function whiteNoise(durationMs: number, amplitude = 0.05, seed = 1): Int16Array {
  const samples = new Int16Array((durationMs * 16000) / 1000);
  let state = seed;
  for (let i = 0; i < samples.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    samples[i] = Math.round((state / 2147483648 - 0.5) * 2 * amplitude * 32767);
  }
  return samples;
}

/** Adds two blocks sample by sample (clipped), the shorter padded with silence. */
export function mix(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, (a[i] ?? 0) + (b[i] ?? 0)));
  return out;
}
