import {
  AudioFormatError,
  type AudioFrame,
  ProviderAuthError,
  ProviderQuotaError,
  ProviderRequestError,
  ProviderUnavailableError,
  type SttEvent,
  VoxError,
} from '@voxduplex/core';
import { googleStatusText, tokenAudio } from '@voxduplex/testing-google';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { GoogleStt } from '../src/index';
import { finalsOf, framesOf, GoogleSpeechEmulator, settled, sttFor, transcribeAll } from './helpers';

let emulator: GoogleSpeechEmulator;
let stt: GoogleStt | undefined;
beforeAll(async () => {
  emulator = await GoogleSpeechEmulator.start();
});
afterEach(async () => {
  await stt?.close();
  stt = undefined;
  await emulator.restart();
  emulator.calls.length = 0;
  emulator.recognizeDefaults = {};
});
afterAll(() => emulator.close());

const speech = framesOf(
  tokenAudio([
    { say: [1, 2] },
    { silenceMs: 700 },
    { say: [3, 4, 5] },
    { silenceMs: 700 },
    { say: [6] },
    { silenceMs: 700 },
  ]),
);
const texts = ['w1 w2', 'w3 w4 w5', 'w6'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GoogleStt failure modes', () => {
  test('UNAUTHENTICATED → ProviderAuthError at once, no retry, nothing left open', async () => {
    emulator.queueRecognize({ rejectWith: { code: 16, details: googleStatusText.unauthenticated } });
    stt = sttFor(emulator);
    const { error } = await settled(transcribeAll(stt, speech));

    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error).toMatchObject({ code: 'provider_auth', retryable: false, source: 'stt:google' });
    expect((error as Error).message).toContain('invalid authentication credentials');
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.openCalls).toEqual([]);
  });

  test('INVALID_ARGUMENT (chunk too large for this service) → ProviderRequestError, no retry', async () => {
    emulator.recognizeDefaults = { maxChunkBytes: 1000 };
    stt = sttFor(emulator);
    const { error } = await settled(transcribeAll(stt, speech));

    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as Error).message).toContain('Received audio of 3200 bytes');
    expect(emulator.calls).toHaveLength(1);
  });

  test('never sends a request over 25,600 bytes, whatever the frame size', async () => {
    stt = sttFor(emulator, { chunkMs: 800 });
    const events = await transcribeAll(
      stt,
      framesOf(tokenAudio([{ say: [8, 9] }, { silenceMs: 4600 }]), { frameMs: 5000 }),
    );

    expect(finalsOf(events).map((t) => t.text)).toEqual(['w8 w9']);
    const sizes = emulator.calls.flatMap((c) => c.chunkBytes);
    expect(Math.max(...sizes)).toBe(25_600);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5000 * 32);
  });

  test('UNAVAILABLE mid-stream → retried on a new stream, audio replayed, every final once', async () => {
    emulator.queueRecognize({ failAt: { atAudioMs: 1300, code: 14, details: googleStatusText.unavailable } });
    stt = sttFor(emulator);
    const events = await transcribeAll(stt, speech);

    expect(finalsOf(events).map((t) => t.text)).toEqual(texts);
    expect(emulator.calls.map((c) => c.state)).toEqual(['failed', 'ok']);
    expect(stt.stats.retries).toBe(1);
  });

  test('server killed mid-stream and back soon → reconnects with backoff, every final once', async () => {
    emulator.queueRecognize({ killServerAtAudioMs: 1300 });
    stt = sttFor(emulator, { retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 30 } });
    const done = transcribeAll(stt, speech);
    await emulator.until(() => !emulator.isRunning);
    await sleep(30);
    await emulator.restart();
    const events = await done;

    expect(finalsOf(events).map((t) => t.text)).toEqual(texts);
    expect(emulator.calls[0]?.state).toBe('killed');
    expect(emulator.calls.at(-1)?.state).toBe('ok');
    expect(stt.stats.retries).toBeGreaterThanOrEqual(1);
  });

  test('server down for good → ProviderUnavailableError after the capped number of attempts', async () => {
    emulator.kill();
    stt = sttFor(emulator, { retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } });
    const { error } = await settled(transcribeAll(stt, speech));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ retryable: true });
    expect(stt.stats.retries).toBe(3);
    expect(stt.stats.streamsOpened).toBe(4);
  });

  test('RESOURCE_EXHAUSTED on every attempt → ProviderQuotaError once retries run out', async () => {
    emulator.recognizeDefaults = {
      rejectWith: { code: 8, details: 'Quota exceeded for StreamingRecognize.' },
    };
    stt = sttFor(emulator, { retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } });
    const { error } = await settled(transcribeAll(stt, speech));

    expect(error).toBeInstanceOf(ProviderQuotaError);
    expect(emulator.calls).toHaveLength(3);
    expect(emulator.openCalls).toEqual([]);
  });

  test('a pause longer than idleTimeoutMs ends the stream cleanly; the next audio opens a new one', async () => {
    emulator.recognizeDefaults = { audioTimeoutMs: 400 };
    stt = sttFor(emulator, { idleTimeoutMs: 150 });
    const audio$ = new Subject<AudioFrame>();
    const done = lastValueFrom(stt.transcribe(audio$).pipe(toArray()));
    const first = framesOf(tokenAudio([{ say: [1, 2] }, { silenceMs: 200 }]));
    for (const frame of first) audio$.next(frame);
    await emulator.until(() => emulator.calls[0]?.state === 'ok');
    await sleep(500); // longer than the service's audio timeout
    for (const frame of framesOf(tokenAudio([{ say: [3] }, { silenceMs: 400 }]), { startMs: 60_000 })) {
      audio$.next(frame);
    }
    audio$.complete();
    const events = await done;

    expect(finalsOf(events).map((t) => [t.text, t.endMs])).toEqual([
      ['w1 w2', 400],
      ['w3', 60_200],
    ]);
    expect(emulator.calls.map((c) => c.state)).toEqual(['ok', 'ok']);
    expect(emulator.calls.some((c) => c.status?.code === 11)).toBe(false);
  });

  test('an "Audio Timeout" OUT_OF_RANGE from the service never reaches the subscriber', async () => {
    emulator.recognizeDefaults = { audioTimeoutMs: 100 };
    stt = sttFor(emulator, { idleTimeoutMs: 5000 });
    const audio$ = new Subject<AudioFrame>();
    const done = lastValueFrom(stt.transcribe(audio$).pipe(toArray()));
    for (const frame of framesOf(tokenAudio([{ silenceMs: 1200 }, { say: [1, 2] }]))) audio$.next(frame);
    await emulator.until(() => emulator.calls[0]?.status?.code === 11);
    for (const frame of framesOf(tokenAudio([{ say: [3] }, { silenceMs: 400 }]), { startMs: 1600 })) {
      audio$.next(frame);
    }
    audio$.complete();
    const events = await done;

    expect(emulator.calls[0]?.status?.details).toBe(googleStatusText.audioTimeout);
    expect(finalsOf(events).map((t) => t.text)).toEqual(['w1 w2 w3']);
    expect(stt.stats.restarts).toBe(1);
  });

  test('cancel mid-stream → the emulator sees the call cancelled', async () => {
    stt = sttFor(emulator);
    const audio$ = new Subject<AudioFrame>();
    const seen: SttEvent[] = [];
    const subscription = stt.transcribe(audio$).subscribe((e) => seen.push(e));
    for (const frame of speech.slice(0, 30)) audio$.next(frame);
    await emulator.until(() => (emulator.calls[0]?.chunkBytes.length ?? 0) >= 5);
    subscription.unsubscribe();
    await emulator.until(() => emulator.calls[0]?.state !== 'open');

    expect(emulator.calls[0]?.state).toBe('cancelled');
    expect(emulator.openCalls).toEqual([]);
    expect(audio$.observed).toBe(false);
  });

  test('opens no stream before the first frame', async () => {
    stt = sttFor(emulator);
    const audio$ = new Subject<AudioFrame>();
    const subscription = stt.transcribe(audio$).subscribe();
    await sleep(100);
    expect(emulator.calls).toEqual([]);
    audio$.next(speech[0]!);
    await emulator.until(() => emulator.calls.length === 1);
    subscription.unsubscribe();
    await emulator.until(() => emulator.openCalls.length === 0);
  });

  test.each([
    ['8 kHz audio', { sampleRate: 8000 }, 'expected 16000 Hz'],
    ['stereo audio', { channels: 2 }, 'expected mono'],
    ['a negative start time', { startMs: -5 }, 'bad frame startMs'],
    ['samples that are not Int16', { samples: new Float32Array(320) }, 'Int16Array'],
  ])('%s → AudioFormatError, and the open call is cancelled', async (_name, change, message) => {
    stt = sttFor(emulator);
    const bad = { ...speech[1]!, ...change } as unknown as AudioFrame;
    const audio$ = new Subject<AudioFrame>();
    const done = settled(lastValueFrom(stt.transcribe(audio$)));
    audio$.next(speech[0]!);
    await emulator.until(() => emulator.calls.length === 1);
    audio$.next(bad);
    const { error } = await done;

    expect(error).toBeInstanceOf(AudioFormatError);
    expect(VoxError.isInstance(error) && error.message).toContain(message);
    await emulator.until(() => emulator.openCalls.length === 0);
    expect(emulator.calls[0]?.state).toBe('cancelled');
  });

  test('an audio$ that errors passes its error on and cancels the call', async () => {
    stt = sttFor(emulator);
    const audio$ = new Subject<AudioFrame>();
    const done = settled(lastValueFrom(stt.transcribe(audio$)));
    audio$.next(speech[0]!);
    await emulator.until(() => emulator.calls.length === 1);
    audio$.error(new Error('microphone unplugged'));

    expect((await done).error).toEqual(new Error('microphone unplugged'));
    await emulator.until(() => emulator.calls[0]?.state === 'cancelled');
  });

  test('empty audio completes without opening a stream', async () => {
    stt = sttFor(emulator);
    expect(await lastValueFrom(stt.transcribe(from([])).pipe(toArray()))).toEqual([]);
    expect(emulator.calls).toEqual([]);
  });
});
