// PocketSphinx STT on Flite speech (voices rms and awb): real-time factor when fed as fast as it
// goes, end of speech → final when fed in real time, word error rate, and the event-loop delay
// while a stream runs in real time, and what `phraseReading` (short finals decoded again among
// core's stop phrases and backchannels) adds per short final. Needs flite and sox on PATH
// (scripts/setup.sh installs them).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type AudioFrame, DEFAULT_BACKCHANNELS, DEFAULT_STOP_PHRASES, type SttEvent } from '@voxduplex/core';
import { PocketsphinxStt, type PocketsphinxSttOptions } from '@voxduplex/stt-pocketsphinx';
import { audioWorkspace, fliteSpeech, sequence, toFrames } from '@voxduplex/test-support';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const RATE = 16000;
const FRAME_MS = 20;
const GAP_MS = 1200;
const SENTENCES: [voice: 'rms' | 'awb', text: string][] = [
  ['rms', 'what is the weather like today'],
  ['awb', 'please tell me a story about a dragon'],
  ['rms', 'what time is it'],
  ['awb', 'hello there how are you'],
  ['rms', 'turn on the lights in the kitchen'],
  ['awb', 'can you play some music'],
  ['rms', 'how far is it to the station'],
  ['awb', 'set a timer for ten minutes'],
  ['rms', 'tell me a story'],
  ['awb', 'what is the capital of france'],
  ['rms', 'good morning'],
  ['awb', 'stop talking please'],
];

interface Utterance {
  text: string;
  /** Where the voice ends on the audio timeline (last sample above a small level). */
  offsetMs: number;
}

/** All sentences, each after GAP_MS of silence, ending with GAP_MS of silence. */
function buildAudio(): { samples: Int16Array; utterances: Utterance[] } {
  const workspace = audioWorkspace();
  try {
    const gapSamples = (GAP_MS * RATE) / 1000;
    const parts: (Int16Array | number)[] = [];
    const utterances: Utterance[] = [];
    let at = 0;
    for (const [voice, text] of SENTENCES) {
      const speech = fliteSpeech(workspace.dir, text, voice);
      at += gapSamples;
      let last = 0;
      for (let s = 0; s < speech.length; s++) if (Math.abs(speech[s]!) > 300) last = s;
      utterances.push({ text, offsetMs: ((at + last) / RATE) * 1000 });
      parts.push(GAP_MS, speech);
      at += speech.length;
    }
    return { samples: sequence(...parts, GAP_MS), utterances };
  } finally {
    workspace.remove();
  }
}

async function timeStream(frames: AudioFrame[], options: PocketsphinxSttOptions = {}): Promise<number> {
  const started = performance.now();
  await lastValueFrom(new PocketsphinxStt(options).transcribe(from(frames)).pipe(toArray()), {
    defaultValue: [],
  });
  return performance.now() - started;
}

const SHORT_WORDS = ['stop', 'yeah', 'wait', 'okay', 'hold on', 'right', 'never mind', 'mhm'];

/**
 * What `phraseReading` adds per short final: the same short words decoded as fast as they go,
 * with and without it (best of three each, so a busy moment does not count).
 */
async function phraseReadingCostMs(): Promise<number> {
  const workspace = audioWorkspace();
  try {
    const parts = SHORT_WORDS.flatMap((text, i) => [
      GAP_MS,
      fliteSpeech(workspace.dir, text, i % 2 ? 'awb' : 'rms'),
    ]);
    const frames = toFrames(sequence(...parts, GAP_MS));
    const reading = { phraseReading: { phrases: [...DEFAULT_STOP_PHRASES, ...DEFAULT_BACKCHANNELS] } };
    const best = async (options: PocketsphinxSttOptions) =>
      Math.min(
        await timeStream(frames, options),
        await timeStream(frames, options),
        await timeStream(frames, options),
      );
    const without = await best({});
    const withReading = await best(reading);
    return (withReading - without) / SHORT_WORDS.length;
  } finally {
    workspace.remove();
  }
}

/** Feeds frames at the pace a microphone delivers them; returns each final with its arrival time. */
async function feedInRealTime(frames: AudioFrame[]) {
  const audio$ = new Subject<AudioFrame>();
  const finals: { text: string; endMs: number; arrivedAt: number }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    new PocketsphinxStt().transcribe(audio$).subscribe({
      next: (event: SttEvent) => {
        if (event.type !== 'final') return;
        finals.push({
          text: event.transcript.text,
          endMs: event.transcript.endMs ?? 0,
          arrivedAt: performance.now(),
        });
      },
      error: reject,
      complete: resolve,
    });
  });
  // Let the model load before the clock starts, as a session would before the user speaks.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const startedAt = performance.now();
  for (const frame of frames) {
    const dueAt = startedAt + frame.startMs + FRAME_MS;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    audio$.next(frame);
  }
  audio$.complete();
  await done;
  delay.disable();
  return { finals, startedAt, eventLoopP99Ms: delay.percentile(99) / 1e6, eventLoopMaxMs: delay.max / 1e6 };
}

function wordErrors(reference: string, hypothesis: string): number {
  const ref = reference.split(/\s+/).filter(Boolean);
  const hyp = hypothesis.split(/\s+/).filter(Boolean);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[hyp.length]!;
}

export default async function localSttBench(): Promise<readonly BenchResult[]> {
  const { samples, utterances } = buildAudio();
  const frames = toFrames(samples);
  const audioMs = (samples.length / RATE) * 1000;

  // Real-time factor: decoding time only (the model load, measured on an empty stream, is subtracted).
  const loadMs = quantile([await timeStream([]), await timeStream([]), await timeStream([])], 0.5);
  const fullMs = quantile([await timeStream(frames), await timeStream(frames)], 0.5);
  const rtf = (fullMs - loadMs) / audioMs;

  const run = await feedInRealTime(frames);
  // Each final goes to the sentence whose voice ends nearest its endMs (audio timeline), so a
  // late final on a busy machine is still matched to the right sentence.
  const heard = utterances.map(() => [] as { text: string; endMs: number; arrivedAt: number }[]);
  for (const final of run.finals) {
    let nearest = 0;
    utterances.forEach((u, i) => {
      if (Math.abs(u.offsetMs - final.endMs) < Math.abs(utterances[nearest]!.offsetMs - final.endMs))
        nearest = i;
    });
    heard[nearest]!.push(final);
  }
  const delays: number[] = [];
  let errors = 0;
  let words = 0;
  utterances.forEach((utterance, i) => {
    words += utterance.text.split(' ').length;
    errors += wordErrors(utterance.text, heard[i]!.map((f) => f.text).join(' '));
    const last = heard[i]!.at(-1);
    if (last) delays.push(last.arrivedAt - (run.startedAt + utterance.offsetMs));
  });

  const results = [
    result('local.stt.rtf', rtf, 'ratio', '< 0.3'),
    ...quantileResults('local.stt.final_delay', delays, 'ms', { p50: '< 600', p95: '< 800' }),
    result('local.stt.wer_flite', errors / words, 'ratio', '< 0.15'),
    result('local.stt.model_load', loadMs, 'ms', '< 1000'),
    result('local.stt.eventloop_delay.p99', run.eventLoopP99Ms, 'ms', '< 20'),
    result('local.stt.phrase_reading_ms_per_final', await phraseReadingCostMs(), 'ms', 'report'),
  ];
  report('local-stt', results);
  return results;
}
