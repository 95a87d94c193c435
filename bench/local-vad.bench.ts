// Silero VAD (onnxruntime-node, one intra-op thread): microseconds of wall time per 512-sample
// window through the public detect() stream, over a minute of Flite speech and silence fed as
// fast as it goes. Needs flite and sox on PATH.
import type { AudioFrame } from '@voxduplex/core';
import { audioWorkspace, fliteSpeech, sequence, toFrames } from '@voxduplex/test-support';
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

/** About a minute of audio: the sentences with one second of silence between, repeated. */
function buildFrames(): { frames: AudioFrame[]; sentences: number } {
  const workspace = audioWorkspace();
  try {
    const speech = SENTENCES.map((text, i) => fliteSpeech(workspace.dir, text, i % 2 === 0 ? 'rms' : 'awb'));
    const parts: (Int16Array | number)[] = [];
    let length = 0;
    while (length < 60 * RATE) {
      for (const block of speech) {
        parts.push(1000, block);
        length += RATE + block.length;
      }
    }
    return { frames: toFrames(sequence(...parts)), sentences: parts.length / 2 };
  } finally {
    workspace.remove();
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
