// Providers that fail well (issue 17): for each adapter and each fault its emulator plays, how many
// attempts the service saw and how long, with the adapter's default retry options, until the user
// got the error; and how much audio Google STT re-sends at a rotation when fed at 1x and 10x real
// time to a service that reads at real time. Audio is fed live (wall clock), so this bench takes
// a few minutes of mostly idle waiting. Prints the load average: figures on a shared machine move with it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { AudioFrame, VoxError } from '@voxduplex/core';
import { OpenAiLlm } from '@voxduplex/llm-openai';
import { AzureStt } from '@voxduplex/stt-azure';
import { GoogleStt, type GoogleSttOptions } from '@voxduplex/stt-google';
import { toFrames } from '@voxduplex/test-support';
import { AzureSpeechEmulator, type EmulatorFault, utteranceAudio } from '@voxduplex/testing-azure';
import {
  GoogleSpeechEmulator,
  googleStatusText,
  type RecognizeScenario,
  tokenAudio,
} from '@voxduplex/testing-google';
import { AzureTts } from '@voxduplex/tts-azure';
import { Observable } from 'rxjs';
import { type BenchResult, machineDescription, report } from './harness';

process.env.METADATA_SERVER_DETECTION = 'none';

const RATE = 16000;

/** Token speech for Google: three words, a second of silence, again, for `durationMs`. */
function googleSpeech(durationMs: number): AudioFrame[] {
  const parts = Array.from({ length: Math.ceil(durationMs / 1600) }, (_, i) => [
    { say: [3 * i + 1, 3 * i + 2, 3 * i + 3] },
    { silenceMs: 1000 },
  ]).flat();
  return toFrames(tokenAudio(parts).subarray(0, (durationMs * RATE) / 1000));
}

/** Utterances for Azure: half a second of speech, 0.7 s of silence, again, for `durationMs`. */
function azureSpeech(durationMs: number): AudioFrame[] {
  const pieces: Int16Array[] = [];
  for (let id = 1, at = 0; at < durationMs; id++, at += 1200) {
    pieces.push(utteranceAudio(id, 500), new Int16Array((0.7 * RATE) | 0));
  }
  const all = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    all.set(piece, at);
    at += piece.length;
  }
  return toFrames(all.subarray(0, (durationMs * RATE) / 1000));
}

/** Frames as a microphone gives them, `speed` times real time. */
function live(frames: readonly AudioFrame[], speed = 1): Observable<AudioFrame> {
  return new Observable<AudioFrame>((subscriber) => {
    const startedAt = performance.now();
    let index = 0;
    let timer: NodeJS.Timeout | undefined;
    const step = () => {
      const dueMs = (performance.now() - startedAt) * speed;
      while (index < frames.length && frames[index]!.startMs <= dueMs) subscriber.next(frames[index++]!);
      if (index >= frames.length) subscriber.complete();
      else timer = setTimeout(step, 10);
    };
    step();
    return () => clearTimeout(timer);
  });
}

interface Outcome {
  readonly error: VoxError | undefined;
  readonly seconds: number;
  readonly finals: number;
}

function run(events$: Observable<unknown>): Promise<Outcome> {
  const startedAt = performance.now();
  let finals = 0;
  return new Promise((resolve) => {
    events$.subscribe({
      next: (event) => {
        if ((event as { type?: string }).type === 'final') finals++;
      },
      error: (error: VoxError) => resolve({ error, seconds: (performance.now() - startedAt) / 1000, finals }),
      complete: () => resolve({ error: undefined, seconds: (performance.now() - startedAt) / 1000, finals }),
    });
  });
}

const load = () => `${machineDescription()}; load average ${loadavg()[0]!.toFixed(1)}`;
const figure = (metric: string, value: number, unit: string, goal: string): BenchResult => ({
  metric,
  value: Number(value.toPrecision(6)),
  unit,
  goal,
  machine: load(),
});

/** Attempts the service saw and seconds until the error, as two figures; `name` says the error. */
function faultFigures(
  prefix: string,
  attempts: number,
  outcome: Outcome,
  attemptsGoal: string,
): BenchResult[] {
  const name = outcome.error?.name ?? 'no error';
  console.log(`${prefix}: ${attempts} attempts, ${outcome.seconds.toFixed(2)} s → ${name}`);
  return [
    figure(`${prefix}.attempts`, attempts, `attempts (${name})`, attemptsGoal),
    figure(`${prefix}.seconds_to_error`, outcome.seconds, 's', '< 15'),
  ];
}

async function googleFaults(): Promise<BenchResult[]> {
  const emulator = await GoogleSpeechEmulator.start();
  const speech = googleSpeech(20_000);
  const results: BenchResult[] = [];
  const fault = async (
    name: string,
    scenario: RecognizeScenario,
    goal: string,
    options: GoogleSttOptions = {},
  ) => {
    emulator.calls.length = 0;
    emulator.recognizeDefaults = scenario;
    const stt = new GoogleStt({
      endpoint: { host: '127.0.0.1', port: emulator.port, insecure: true },
      ...options,
    });
    const outcome = await run(stt.transcribe(live(speech)));
    // With the server down no call reaches it: the error's own count is the figure then.
    const attempts = emulator.isRunning
      ? emulator.calls.length
      : (outcome.error as { attempts?: number })?.attempts;
    results.push(...faultFigures(`providers.stt.google.${name}`, attempts ?? 0, outcome, goal));
    await stt.close();
  };
  await fault(
    'drop_after_first_interim',
    { failAfterInterims: { afterInterims: 1, code: 14, details: googleStatusText.unavailable } },
    '<= 6',
  );
  await fault(
    'unauthenticated',
    { rejectWith: { code: 16, details: googleStatusText.unauthenticated } },
    '1',
  );
  await fault(
    'quota',
    { rejectWith: { code: 8, details: googleStatusText.quota, retryDelayMs: 1000 } },
    '<= 6',
  );
  await fault(
    'quota_retry_after_too_long',
    { rejectWith: { code: 8, details: googleStatusText.quota, retryDelayMs: 60_000 } },
    '1',
  );
  emulator.recognizeDefaults = {};
  emulator.kill();
  await fault('server_down', {}, '<= 6');
  await emulator.close();
  return results;
}

async function azureFaults(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const speech = azureSpeech(20_000);
  const fault = async (name: string, play: EmulatorFault) => {
    const emulator = await AzureSpeechEmulator.start();
    emulator.failEvery('recognition', play);
    const stt = new AzureStt({ host: emulator.host.toString(), key: 'bench-key' });
    const outcome = await run(stt.transcribe(live(speech)));
    results.push(
      ...faultFigures(`providers.stt.azure.${name}`, emulator.connections.length, outcome, '<= 4'),
    );
    await emulator.waitForNoOpenConnections(5000).catch(() => undefined);
    await emulator.close();
  };
  await fault('close_1011_after_first_interim', { kind: 'close', code: 1011, afterHypotheses: 1 });
  await fault('phrase_error_every_time', { kind: 'phrase-error' });
  await fault('unauthorized_401', { kind: 'reject-upgrade', status: 401 });
  await fault('quota_429', { kind: 'reject-upgrade', status: 429, retryAfterSeconds: 1 });

  for (const [name, play] of [
    ['unauthorized_401', { kind: 'reject-upgrade', status: 401 }],
    ['close_1011', { kind: 'close', code: 1011, afterChunks: 1 }],
  ] as const) {
    const emulator = await AzureSpeechEmulator.start();
    emulator.failEvery('synthesis', play);
    const tts = new AzureTts({ host: emulator.host.toString(), key: 'bench-key' });
    const outcome = await run(tts.synthesize('Hello there, how are you today?'));
    results.push(...faultFigures(`providers.tts.azure.${name}`, emulator.connections.length, outcome, '1'));
    await emulator.close();
  }
  return results;
}

async function llmFaults(): Promise<BenchResult[]> {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const llm = new OpenAiLlm({ model: 'm', apiKey: 'k', baseURL: `http://127.0.0.1:${port}/v1` });
  const outcome = await run(llm.generate({ messages: [{ role: 'user', content: 'hi' }] }));
  server.close();
  return faultFigures('providers.llm.openai.http_503', requests, outcome, '3');
}

/**
 * Audio re-sent per rotation: 40 s of token speech fed at `speed` x real time to a service that
 * reads at real time (gRPC flow control holds the rest), rotating every 15 s of audio (at a final
 * in the last 5 s). Defaults otherwise (`maxLeadMs` 5 s, `maxReplayMs` 30 s).
 */
async function resentPerRotation(
  speed: number,
): Promise<{ perRotation: number; finals: number; expected: number }> {
  const emulator = await GoogleSpeechEmulator.start();
  emulator.recognizeDefaults = { readSpeed: 1 };
  const stt = new GoogleStt({
    endpoint: { host: '127.0.0.1', port: emulator.port, insecure: true },
    rotateAfterMs: 15_000,
    rotateWindowMs: 5_000,
  });
  const durationMs = 40_000;
  const outcome = await run(stt.transcribe(live(googleSpeech(durationMs), speed)));
  const perRotation = stt.stats.rotationReplayedMs / Math.max(1, stt.stats.rotations);
  console.log(`resent at ${speed}x: ${JSON.stringify(stt.stats)}, finals ${outcome.finals}`);
  await stt.close();
  await emulator.close();
  return { perRotation, finals: outcome.finals, expected: Math.floor(durationMs / 1600) };
}

export default async function providersBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const speed of [1, 10]) {
    const { perRotation, finals, expected } = await resentPerRotation(speed);
    results.push(
      figure(
        `stt.google.resent_audio_ms_per_rotation.${speed}x`,
        perRotation,
        'ms',
        speed === 1 ? '< 1000' : '< 6000',
      ),
      figure(`stt.google.finals_delivered.${speed}x`, finals, `finals of ${expected}`, `${expected}`),
    );
  }
  results.push(...(await googleFaults()), ...(await azureFaults()), ...(await llmFaults()));
  report('providers', results);
  return results;
}
