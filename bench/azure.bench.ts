// Azure STT adapter overhead per audio frame: the synchronous time `audio$.next(frame)` takes
// through AzureStt (validation, copy, replay buffer, timeline, SDK push) minus the time the bare
// SDK push stream takes for the same frame. Both run against the local emulator.
import type { AudioFrame } from '@voxduplex/core';
import { AzureStt } from '@voxduplex/stt-azure';
import { AzureSpeechEmulator, utteranceAudio } from '@voxduplex/testing-azure';
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { Subject } from 'rxjs';
import { type BenchResult, quantile, report, result } from './harness';

const FRAME_MS = 20;
const SECONDS = 60;

function frames(): AudioFrame[] {
  const perFrame = (FRAME_MS / 1000) * 16000;
  const audio = new Int16Array(SECONDS * 16000);
  for (let s = 1; s < SECONDS; s += 3) audio.set(utteranceAudio(s, 1000), s * 16000);
  const out: AudioFrame[] = [];
  for (let i = 0; i < audio.length; i += perFrame) {
    out.push({
      samples: audio.slice(i, i + perFrame),
      sampleRate: 16000,
      channels: 1,
      startMs: (i / 16000) * 1000,
    });
  }
  return out;
}

const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

async function timeAdapter(emulator: AzureSpeechEmulator, input: AudioFrame[]): Promise<number[]> {
  const stt = new AzureStt({
    host: emulator.host.toString(),
    key: 'bench',
    transmitLengthBeforeThrottleMs: 1_000_000,
  });
  const audio$ = new Subject<AudioFrame>();
  const done = new Promise<void>((resolve, reject) => {
    stt.transcribe(audio$).subscribe({ error: reject, complete: () => resolve() });
  });
  const times: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const start = performance.now();
    audio$.next(input[i]!);
    times.push((performance.now() - start) * 1000);
    if (i % 50 === 49) await yieldToIo();
  }
  audio$.complete();
  await done;
  return times;
}

async function timeBareSdk(emulator: AzureSpeechEmulator, input: AudioFrame[]): Promise<number[]> {
  const config = sdk.SpeechConfig.fromHost(emulator.host, 'bench');
  config.setProperty('SPEECH-TransmitLengthBeforThrottleMs', '1000000');
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
  const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
  const stopped = new Promise<void>((resolve) => {
    recognizer.sessionStopped = () => resolve();
  });
  await new Promise<void>((resolve, reject) => recognizer.startContinuousRecognitionAsync(resolve, reject));
  const times: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const start = performance.now();
    const { samples } = input[i]!;
    push.write(
      samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength) as ArrayBuffer,
    );
    times.push((performance.now() - start) * 1000);
    if (i % 50 === 49) await yieldToIo();
  }
  push.close();
  await stopped;
  await new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve()));
  recognizer.close();
  return times;
}

export default async function azureBench(): Promise<readonly BenchResult[]> {
  const emulator = await AzureSpeechEmulator.start();
  const input = frames();
  try {
    await timeAdapter(emulator, input.slice(0, 500)); // warm-up
    await timeBareSdk(emulator, input.slice(0, 500));
    const adapter: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < 3; round++) {
      adapter.push(...(await timeAdapter(emulator, input)));
      bare.push(...(await timeBareSdk(emulator, input)));
    }
    const results = [
      result('azure.stt.overhead_per_frame_us', quantile(adapter, 0.5) - quantile(bare, 0.5), 'us', '< 50'),
      result(
        'azure.stt.overhead_per_frame_us.p99',
        quantile(adapter, 0.99) - quantile(bare, 0.99),
        'us',
        '< 200',
      ),
      result('azure.stt.adapter_next_per_frame_us.p50', quantile(adapter, 0.5), 'us', 'info'),
      result('azure.stt.sdk_push_per_frame_us.p50', quantile(bare, 0.5), 'us', 'info'),
    ];
    report('azure', results);
    return results;
  } finally {
    await emulator.close();
  }
}
