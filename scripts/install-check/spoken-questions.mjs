// Questions spoken by Debian's Flite (a voice unlike the agent's), as the spoken-turn client and
// the browser's fake microphone take them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './processes.mjs';

const RATE = 16_000;
const FRAME_SAMPLES = RATE / 50; // 20 ms
/** Same rule as the offline bench (`voicedSpan`): a sample louder than this is voice. */
const VOICE_LEVEL = 300;

/**
 * Speaks `text` (`flite -voice <voice>`, then `sox` to 16 kHz mono 16-bit) into `dir`. Returns
 * `{ text, wav, pcm, frames, lastVoicedFrame }`: `wav` the 16 kHz file, `pcm` the same samples raw
 * (s16le), `lastVoicedFrame` the index of the 20 ms frame holding the last voiced sample.
 */
export async function speakQuestion(dir, text, voice, index) {
  const base = join(dir, `q${index}-${voice}`);
  await run('flite', ['-voice', voice, '-t', text, '-o', `${base}-raw.wav`], { timeoutMs: 30_000 });
  await run('sox', [`${base}-raw.wav`, '-r', String(RATE), '-c', '1', '-b', '16', `${base}.wav`], {
    timeoutMs: 30_000,
  });
  const samples = wavSamples(readFileSync(`${base}.wav`));
  writeFileSync(`${base}.pcm`, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  let last = samples.length - 1;
  while (last >= 0 && Math.abs(samples[last]) <= VOICE_LEVEL) last--;
  if (last < 0) throw new Error(`flite produced silence for "${text}"`);
  return {
    text,
    voice,
    wav: `${base}.wav`,
    pcm: `${base}.pcm`,
    frames: Math.ceil(samples.length / FRAME_SAMPLES),
    lastVoicedFrame: Math.floor(last / FRAME_SAMPLES),
  };
}

/** A fake-microphone file for Chromium: `before` ms of silence, the question, `after` ms of silence. */
export async function padded(question, beforeMs, afterMs) {
  const path = question.wav.replace(/\.wav$/, '-mic.wav');
  await run('sox', [question.wav, path, 'pad', String(beforeMs / 1000), String(afterMs / 1000)], {
    timeoutMs: 30_000,
  });
  return path;
}

/** The Int16 samples of a PCM WAV file's `data` chunk. */
function wavSamples(file) {
  let offset = 12;
  while (offset + 8 <= file.length) {
    const size = file.readUInt32LE(offset + 4);
    if (file.toString('ascii', offset, offset + 4) === 'data') {
      const bytes = file.subarray(offset + 8, offset + 8 + size);
      return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in the WAV file');
}
