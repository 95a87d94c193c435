import { ProviderQuotaError, ProviderUnavailableError } from '@voxduplex/core';
import { googleStatusText, tokenAudio } from '@voxduplex/testing-google';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { GoogleStt } from '../src/index';
import {
  collect,
  finalsOf,
  framesOf,
  GoogleSpeechEmulator,
  paced,
  settled,
  sttFor,
  transcribeAll,
} from './helpers';

// Faults of a service that keeps failing, through the real @google-cloud/speech client: what the
// user sees is a bounded number of attempts, one typed error, audio re-billed no more than the caps.

let emulator: GoogleSpeechEmulator;
let stt: GoogleStt | undefined;
beforeAll(async () => {
  emulator = await GoogleSpeechEmulator.start();
});
afterEach(async () => {
  await stt?.close();
  stt = undefined;
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
    { silenceMs: 500 },
  ]),
);

describe('GoogleStt against a service that keeps failing', () => {
  test('drops every stream after its first interim → gives up after maxAttempts + 1 streams with ProviderUnavailableError, re-sent audio within the caps', async () => {
    emulator.recognizeDefaults = {
      failAfterInterims: { afterInterims: 1, code: 14, details: googleStatusText.unavailable },
    };
    stt = sttFor(emulator, {
      retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
      maxReplayMs: 400,
      maxReplayPerMinuteMs: 1000,
    });
    // Live audio, as from a microphone (4x real time): each stream hears some speech, says one
    // interim, drops. Six utterances: at least one failure each, however slow the machine.
    const sixUtterances = framesOf(
      tokenAudio([1, 2, 3, 4, 5, 6].flatMap((t) => [{ say: [t, t + 10] }, { silenceMs: 600 }])),
    );
    const { error } = await settled(collect(stt.transcribe(paced(sixUtterances, 4))));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 4, retryable: true, source: 'stt:google' });
    expect((error as Error).cause).toMatchObject({ code: 'provider_unavailable' });
    expect(emulator.callsOf('StreamingRecognize')).toHaveLength(4);
    expect(emulator.calls.every((c) => c.state === 'failed')).toBe(true);
    expect(stt.stats.replayedMs).toBeLessThanOrEqual(1000);
    // Billed: each stream's audio; beyond the audio itself, only what the caps let through again.
    expect(emulator.recognizedAudioMs).toBeLessThanOrEqual(6 * 1000 + 1000);
    expect(emulator.openCalls).toEqual([]);
  });

  test('a flapping endpoint (refuses 3 calls, then works) → every final once, no error', async () => {
    emulator.failNextRecognize(3);
    stt = sttFor(emulator, { retry: { maxAttempts: 5, initialDelayMs: 5, maxDelayMs: 20 } });
    const events = await transcribeAll(stt, speech);

    expect(finalsOf(events).map((t) => t.text)).toEqual(['w1 w2', 'w3 w4 w5', 'w6']);
    expect(emulator.calls.map((c) => c.state)).toEqual(['failed', 'failed', 'failed', 'ok']);
    expect(stt.stats.retries).toBe(3);
    expect(emulator.openCalls).toEqual([]);
  });

  test('RESOURCE_EXHAUSTED with RetryInfo → waits what the service asked before the next call', async () => {
    emulator.queueRecognize({ rejectWith: { code: 8, details: googleStatusText.quota, retryDelayMs: 300 } });
    stt = sttFor(emulator, { retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 1000 } });
    const events = await transcribeAll(stt, speech);

    expect(finalsOf(events)).toHaveLength(3);
    const [refused, next] = emulator.calls;
    expect(refused?.status?.code).toBe(8);
    expect(next!.openedAt - refused!.openedAt).toBeGreaterThanOrEqual(300);
  });

  test('RESOURCE_EXHAUSTED asking for longer than maxDelayMs → ProviderQuotaError with retryAfterMs at once', async () => {
    emulator.recognizeDefaults = {
      rejectWith: { code: 8, details: googleStatusText.quota, retryDelayMs: 60_000 },
    };
    stt = sttFor(emulator, { retry: { maxAttempts: 5, initialDelayMs: 5, maxDelayMs: 1000 } });
    const { error } = await settled(transcribeAll(stt, speech));

    expect(error).toBeInstanceOf(ProviderQuotaError);
    expect(error).toMatchObject({ retryAfterMs: 60_000, code: 'provider_quota' });
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.openCalls).toEqual([]);
  });
});
