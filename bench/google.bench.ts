// Google STT adapter: CPU overhead per audio frame, and how long audio waits at a stream rotation.
// Needs built packages: `npx tsup` in packages/core, packages/testing-google and packages/stt-google.
import type { SpeechClient } from '@google-cloud/speech';
import type { AudioFrame } from '@voxduplex/core';
import { GoogleStt } from '@voxduplex/stt-google';
import { toFrames } from '@voxduplex/test-support';
import { GoogleSpeechEmulator, tokenAudio } from '@voxduplex/testing-google';
import { from, Subject } from 'rxjs';
import { type BenchResult, quantile, report, result } from './harness';

process.env.METADATA_SERVER_DETECTION = 'none';

const FRAME_MS = 20;
const RATE = 16000;

function frames(durationMs: number): AudioFrame[] {
  const pcm = tokenAudio(
    Array.from({ length: Math.ceil(durationMs / 1600) }, (_, i) => [
      { say: [i + 1, i + 2, i + 3] },
      { silenceMs: 1000 },
    ]).flat(),
  ).subarray(0, (durationMs * RATE) / 1000);
  return toFrames(pcm, FRAME_MS);
}

/** A client whose streams accept everything and answer nothing: isolates the adapter's own work. */
function silentClient(): SpeechClient {
  const stream = {
    write: () => true,
    end: () => {},
    cancel: () => {},
    on: () => stream,
    once: () => stream,
    removeAllListeners: () => stream,
  };
  return { _streamingRecognize: () => stream, close: async () => {} } as unknown as SpeechClient;
}

/** µs of adapter work per 20 ms frame: validation, copy into the replay ledger, chunking, request writes. */
function overheadPerFrame(): number[] {
  const audio = frames(60_000);
  const perFrameUs: number[] = [];
  for (let run = 0; run < 25; run++) {
    const stt = new GoogleStt({ rotateAfterMs: 240_000 }, silentClient());
    const started = performance.now();
    const subscription = stt.transcribe(from(audio)).subscribe();
    const elapsed = performance.now() - started;
    subscription.unsubscribe();
    if (run >= 5) perFrameUs.push((elapsed * 1000) / audio.length); // the first runs warm the JIT
  }
  return perFrameUs;
}

/**
 * Rotation gap: audio arrives in real time (20 ms frames) and the stream rotates every 2 s of audio.
 * For each rotation, the wall-clock time between the last request the old stream received and the
 * first one the new stream received, minus the normal 100 ms request interval: how long audio waited
 * because of the rotation (at real time, wall ms = audio ms).
 */
async function rotationGaps(): Promise<{ gaps: number[]; replayMs: number }> {
  const emulator = await GoogleSpeechEmulator.start();
  const stt = new GoogleStt({
    endpoint: { host: '127.0.0.1', port: emulator.port, insecure: true },
    rotateAfterMs: 2000,
    rotateWindowMs: 0,
  });
  const audio = frames(13_000);
  const audio$ = new Subject<AudioFrame>();
  const subscription = stt.transcribe(audio$).subscribe();
  const started = performance.now();
  for (const [i, frame] of audio.entries()) {
    const due = started + i * FRAME_MS - performance.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    audio$.next(frame);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  subscription.unsubscribe();
  const calls = emulator.callsOf('StreamingRecognize');
  const gaps: number[] = [];
  for (let i = 1; i < calls.length; i++) {
    const last = calls[i - 1]!.chunkAt.at(-1);
    const first = calls[i]!.chunkAt[0];
    if (last !== undefined && first !== undefined) gaps.push(Math.max(0, first - last - 100));
  }
  const replayMs = stt.stats.replayedMs / Math.max(1, stt.stats.rotations);
  await stt.close();
  await emulator.close();
  return { gaps, replayMs };
}

export default async function googleBench(): Promise<BenchResult[]> {
  const overhead = overheadPerFrame();
  const { gaps, replayMs } = await rotationGaps();
  const results = [
    result('google.stt.overhead_per_frame_us', quantile(overhead, 0.5), 'µs', '< 50'),
    result('google.stt.overhead_per_frame_us.p99', quantile(overhead, 0.99), 'µs', '< 100'),
    result('google.stt.rotation_gap_ms', quantile(gaps, 0.5), 'ms', '< 20'),
    result('google.stt.rotation_gap_ms.max', Math.max(...gaps), 'ms', '< 100'),
    result('google.stt.rotation_replay_ms', replayMs, 'ms', 'info'),
    result('google.stt.rotations_measured', gaps.length, 'count', '>= 5'),
  ];
  report('google', results);
  return results;
}
