// Silero VAD (onnxruntime-node, one intra-op thread): microseconds of wall time per 512-sample
// window through the public detect() stream, over a minute of Flite speech and silence fed as
// fast as it goes. Needs flite and sox on PATH.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioFrame } from '@voxduplex/core';
import { SileroVad, WINDOW_SAMPLES } from '@voxduplex/vad-silero';
import { from, lastValueFrom, toArray } from 'rxjs';
import { type BenchResult, quantile, report, result } from './harness';

const RATE = 16000;
const SENTENCES = [
  'what is the weather like today',
  'please tell me a story about a dragon',
  'turn on the lights in the kitchen',
  'how far is it to the station',
];

function speak(dir: string, text: string, index: number): Int16Array {
  const raw = join(dir, `${index}.raw.wav`);
  const wav = join(dir, `${index}.wav`);
  execFileSync('flite', ['-voice', index % 2 === 0 ? 'rms' : 'awb', '-t', text, '-o', raw]);
  execFileSync('sox', [raw, '-r', String(RATE), '-c', '1', '-b', '16', wav]);
  const bytes = readFileSync(wav);
  let offset = 12;
  while (bytes.toString('ascii', offset, offset + 4) !== 'data') offset += 8 + bytes.readUInt32LE(offset + 4);
  const data = bytes.subarray(offset + 8, offset + 8 + bytes.readUInt32LE(offset + 4));
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** About a minute of audio: the sentences with one second of silence between, repeated. */
function buildFrames(): { frames: AudioFrame[]; sentences: number } {
  const dir = mkdtempSync(join(tmpdir(), 'voxduplex-bench-vad-'));
  try {
    const gap = new Int16Array(RATE);
    const speech = SENTENCES.map((text, i) => speak(dir, text, i));
    const blocks: Int16Array[] = [];
    let length = 0;
    while (length < 60 * RATE) {
      for (const block of speech) {
        blocks.push(gap, block);
        length += gap.length + block.length;
      }
    }
    const frames: AudioFrame[] = [];
    let at = 0;
    for (const block of blocks) {
      for (let i = 0; i < block.length; i += 320) {
        frames.push({
          samples: block.slice(i, i + 320),
          sampleRate: RATE,
          channels: 1,
          startMs: (at / RATE) * 1000,
        });
        at += Math.min(320, block.length - i);
      }
    }
    return { frames, sentences: blocks.length / 2 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function localVadBench(): Promise<readonly BenchResult[]> {
  const { frames, sentences } = buildFrames();
  const windows = Math.floor(frames.reduce((sum, f) => sum + f.samples.length, 0) / WINDOW_SAMPLES);
  const vad = new SileroVad();
  // One warm-up pass loads the model and lets onnxruntime settle its allocations.
  await lastValueFrom(vad.detect(from(frames.slice(0, 500))).pipe(toArray()));
  const perWindowUs: number[] = [];
  let spans = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const events = await lastValueFrom(vad.detect(from(frames)).pipe(toArray()));
    perWindowUs.push(((performance.now() - started) * 1000) / windows);
    spans = events.filter((e) => e.type === 'speech-start').length;
  }
  const results = [
    result('local.vad.us_per_frame', quantile(perWindowUs, 0.5), 'us', '< 500'),
    result('local.vad.speech_spans_found', spans, 'count', `= ${sentences}`),
  ];
  report('local-vad', results);
  return results;
}
