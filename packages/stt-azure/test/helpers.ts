import type { AudioFrame, SttEvent, VoxError } from '@voxduplex/core';
import {
  AzureSpeechEmulator,
  type AzureSpeechEmulatorOptions,
  utteranceAudio,
} from '@voxduplex/testing-azure';
import { Observable } from 'rxjs';
import { AzureStt, type AzureSttOptions } from '../src/index';

/** A stretch of test audio: an utterance the emulator will recognize, or silence. */
export type AudioPart = { readonly utterance: number; readonly ms: number } | { readonly silenceMs: number };

/** Frames of `frameMs` covering the parts in order, starting at `startMs` on the session timeline. */
export function framesOf(parts: readonly AudioPart[], { frameMs = 100, startMs = 0 } = {}): AudioFrame[] {
  const pieces = parts.map((part) =>
    'utterance' in part
      ? utteranceAudio(part.utterance, part.ms)
      : new Int16Array((part.silenceMs / 1000) * 16000),
  );
  const total = pieces.reduce((sum, p) => sum + p.length, 0);
  const all = new Int16Array(total);
  let at = 0;
  for (const piece of pieces) {
    all.set(piece, at);
    at += piece.length;
  }
  const perFrame = (frameMs / 1000) * 16000;
  const frames: AudioFrame[] = [];
  for (let i = 0; i < all.length; i += perFrame) {
    frames.push({
      samples: all.slice(i, i + perFrame),
      sampleRate: 16000,
      channels: 1,
      startMs: startMs + (i / 16000) * 1000,
    });
  }
  return frames;
}

/** Emits frames in batches with a macrotask between batches, so the SDK keeps reading a live stream. */
export function paced(frames: readonly AudioFrame[], batch = 10, pauseMs = 1): Observable<AudioFrame> {
  return new Observable<AudioFrame>((subscriber) => {
    let index = 0;
    let timer: NodeJS.Timeout | undefined;
    const step = () => {
      for (let n = 0; n < batch && index < frames.length; n++) subscriber.next(frames[index++]!);
      if (index >= frames.length) subscriber.complete();
      else timer = setTimeout(step, pauseMs);
    };
    step();
    return () => clearTimeout(timer);
  });
}

export interface Outcome {
  readonly events: SttEvent[];
  readonly error: VoxError | undefined;
}

/** Runs a transcription to its end (complete or error). */
export function collect(events$: Observable<SttEvent>): Promise<Outcome> {
  const events: SttEvent[] = [];
  return new Promise((resolve) => {
    events$.subscribe({
      next: (event) => events.push(event),
      error: (error: VoxError) => resolve({ events, error }),
      complete: () => resolve({ events, error: undefined }),
    });
  });
}

export function finals(events: readonly SttEvent[]) {
  return events.flatMap((e) => (e.type === 'final' ? [e.transcript] : []));
}

/** Options aimed at the emulator, pushing audio as fast as the SDK allows. */
export function emulatorOptions(
  emulator: AzureSpeechEmulator,
  overrides: Partial<AzureSttOptions> = {},
): AzureSttOptions {
  return {
    host: emulator.host.toString(),
    key: 'test-key',
    transmitLengthBeforeThrottleMs: 1_000_000,
    retryDelayMs: 20,
    stopTimeoutMs: 500,
    endTimeoutMs: 3000,
    ...overrides,
  };
}

export function sttFor(emulator: AzureSpeechEmulator, overrides: Partial<AzureSttOptions> = {}): AzureStt {
  return new AzureStt(emulatorOptions(emulator, overrides));
}

export async function withEmulator<T>(
  run: (emulator: AzureSpeechEmulator) => Promise<T>,
  options: AzureSpeechEmulatorOptions = {},
): Promise<T> {
  const emulator = await AzureSpeechEmulator.start(options);
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}
