import {
  ProviderAuthError,
  ProviderRequestError,
  ProviderUnavailableError,
  type TtsChunk,
} from '@voxduplex/core';
import { GoogleSpeechEmulator, googleStatusText, synthesizedPcm } from '@voxduplex/testing-google';
import { firstValueFrom, lastValueFrom, of, Subject, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { GoogleTts, type GoogleTtsOptions } from '../src/index';

process.env.METADATA_SERVER_DETECTION = 'none';

let emulator: GoogleSpeechEmulator;
let tts: GoogleTts | undefined;
beforeAll(async () => {
  emulator = await GoogleSpeechEmulator.start();
});
afterEach(async () => {
  await tts?.close();
  tts = undefined;
  await emulator.restart();
  emulator.calls.length = 0;
  emulator.synthesizeDefaults = {};
});
afterAll(() => emulator.close());

const ttsFor = (options: GoogleTtsOptions = {}) =>
  new GoogleTts({ endpoint: { host: '127.0.0.1', port: emulator.port, insecure: true }, ...options });
const samplesOf = (chunks: readonly TtsChunk[]) => {
  const all = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk.samples, at);
    at += chunk.samples.length;
  }
  return all;
};
const expectedPcm = (text: string, sampleRate: number) => {
  const bytes = synthesizedPcm(text, sampleRate, 40);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
};
const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );

describe('GoogleTts through the real client', () => {
  test('streams PCM for a streaming voice at the sample rate asked for', async () => {
    tts = ttsFor({ voice: 'en-US-Chirp3-HD-Charon', sampleRate: 16000 });
    const chunks = await lastValueFrom(tts.synthesize('Hello there.').pipe(toArray()));

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.sampleRate === 16000 && c.channels === 1)).toBe(true);
    expect(samplesOf(chunks)).toEqual(expectedPcm('Hello there.', 16000));
    const [call] = emulator.calls;
    expect(call).toMatchObject({ method: 'StreamingSynthesize', state: 'ok', texts: ['Hello there.'] });
    expect(call?.config).toMatchObject({
      voice: { name: 'en-US-Chirp3-HD-Charon', languageCode: 'en-US' },
      streamingAudioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000 },
    });
  });

  test('uses unary SynthesizeSpeech for a voice that does not stream, without the WAV header', async () => {
    tts = ttsFor({ voice: 'en-GB-Neural2-A' });
    const chunks = await lastValueFrom(tts.synthesize('Good morning.').pipe(toArray()));

    expect(samplesOf(chunks)).toEqual(expectedPcm('Good morning.', 24000));
    expect(emulator.calls).toMatchObject([{ method: 'SynthesizeSpeech', state: 'ok' }]);
    expect(emulator.calls[0]?.config).toMatchObject({
      voice: { name: 'en-GB-Neural2-A', languageCode: 'en-GB' },
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000 },
    });
  });

  test('falls back to unary when the service refuses to stream a voice, and remembers it', async () => {
    emulator.synthesizeDefaults = { isStreamingVoice: () => false };
    tts = ttsFor({ voice: 'en-US-Journey-F' });
    const first = await lastValueFrom(tts.synthesize('One.').pipe(toArray()));
    const second = await lastValueFrom(tts.synthesize('Two.', { speakingRate: 1.5 }).pipe(toArray()));

    expect(samplesOf(first)).toEqual(expectedPcm('One.', 24000));
    expect(samplesOf(second)).toEqual(expectedPcm('Two.', 24000));
    expect(emulator.calls.map((c) => [c.method, c.state])).toEqual([
      ['StreamingSynthesize', 'failed'],
      ['SynthesizeSpeech', 'ok'],
      ['SynthesizeSpeech', 'ok'],
    ]);
    expect(emulator.calls[2]?.config).toMatchObject({ audioConfig: { speakingRate: 1.5 } });
  });

  test("streaming: 'always' reports the refusal as a ProviderRequestError", async () => {
    tts = ttsFor({ voice: 'en-US-Standard-B', streaming: 'always' });
    const { error } = await settled(lastValueFrom(tts.synthesize('Hi.')));
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as Error).message).toContain('does not support streaming');
  });

  test('unsubscribing mid-stream cancels the StreamingSynthesize call on the server', async () => {
    emulator.synthesizeDefaults = { responseIntervalMs: 20, responseBytes: 960 };
    tts = ttsFor();
    const firstChunk = await firstValueFrom(
      tts.synthesize('A rather long sentence that takes a while to speak.'),
    );
    expect(firstChunk.samples.length).toBe(480);
    await emulator.until(() => emulator.calls[0]?.state !== 'open');

    expect(emulator.calls[0]?.state).toBe('cancelled');
    expect(emulator.calls[0]?.audioMs).toBeLessThan(2080);
    expect(emulator.openCalls).toEqual([]);
  });

  test('unsubscribing during a unary request cancels it on the server', async () => {
    emulator.synthesizeDefaults = { responseIntervalMs: 2000 };
    tts = ttsFor({ voice: 'en-US-Wavenet-D' });
    const subscription = tts.synthesize('Never mind.').subscribe();
    await emulator.until(() => emulator.calls.length === 1);
    subscription.unsubscribe();
    await emulator.until(() => emulator.calls[0]?.state !== 'open');
    expect(emulator.calls[0]?.state).toBe('cancelled');
  });

  test.each([
    ['streaming', 'en-US-Chirp3-HD-Charon'],
    ['unary', 'en-US-Neural2-F'],
  ])('UNAUTHENTICATED (%s) → ProviderAuthError', async (_mode, voice) => {
    emulator.synthesizeDefaults = { rejectWith: { code: 16, details: googleStatusText.unauthenticated } };
    tts = ttsFor({ voice });
    const { error } = await settled(lastValueFrom(tts.synthesize('Hi.')));
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(emulator.calls).toHaveLength(1);
  });

  test.each([
    ['streaming', 'en-US-Chirp3-HD-Charon'],
    ['unary', 'en-US-Neural2-F'],
  ])(
    'server down (%s) → ProviderUnavailableError, with no endless retry inside the client',
    async (_mode, voice) => {
      emulator.kill();
      tts = ttsFor({ voice });
      const { error } = await settled(lastValueFrom(tts.synthesize('Hi.')));
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(error).toMatchObject({ retryable: true, source: 'tts:google' });
    },
  );

  test('synthesizeStream speaks sentences as they come over one call, in order', async () => {
    tts = ttsFor();
    const text$ = new Subject<string>();
    const done = lastValueFrom(tts.synthesizeStream(text$).pipe(toArray()));
    text$.next('First sentence.');
    await emulator.until(() => (emulator.calls[0]?.audioMs ?? 0) > 0);
    text$.next('');
    text$.next('Second one.');
    text$.complete();
    const chunks = await done;

    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0]?.texts).toEqual(['First sentence.', 'Second one.']);
    const expected = [...expectedPcm('First sentence.', 24000), ...expectedPcm('Second one.', 24000)];
    expect([...samplesOf(chunks)]).toEqual(expected);
  });

  test('empty text completes without a call, in both modes', async () => {
    tts = ttsFor();
    expect(await lastValueFrom(tts.synthesize('  ').pipe(toArray()))).toEqual([]);
    expect(await lastValueFrom(tts.synthesizeStream(of('', ' ')).pipe(toArray()))).toEqual([]);
    expect(emulator.calls).toEqual([]);
  });
});
