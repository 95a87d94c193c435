import { tokenAudio } from '@voxduplex/testing-google';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { GoogleStt } from '../src/index';
import { finalsOf, framesOf, GoogleSpeechEmulator, sttFor, transcribeAll } from './helpers';

let emulator: GoogleSpeechEmulator;
let stt: GoogleStt | undefined;
beforeAll(async () => {
  emulator = await GoogleSpeechEmulator.start();
});
afterEach(async () => {
  await stt?.close();
  emulator.calls.length = 0;
});
afterAll(() => emulator.close());

describe('GoogleStt streaming through the real client', () => {
  test('transcribes speech into speech events, interims and finals on the session timeline', async () => {
    stt = sttFor(emulator);
    const audio = tokenAudio([
      { silenceMs: 200 },
      { say: [1, 2, 3] },
      { silenceMs: 500 },
      { say: [4] },
      { silenceMs: 500 },
    ]);
    const events = await transcribeAll(stt, framesOf(audio, { startMs: 10_000 }));

    expect(finalsOf(events)).toEqual([
      expect.objectContaining({
        text: 'w1 w2 w3',
        isFinal: true,
        startMs: 10_200,
        endMs: 10_800,
        language: 'en-us',
      }),
      expect.objectContaining({ text: 'w4', startMs: 11_300, endMs: 11_500 }),
    ]);
    expect(events.filter((e) => e.type !== 'interim')).toEqual([
      { type: 'speech-start', atMs: 10_200 },
      { type: 'speech-end', atMs: 10_800 },
      expect.objectContaining({ type: 'final' }),
      { type: 'speech-start', atMs: 11_300 },
      { type: 'speech-end', atMs: 11_500 },
      expect.objectContaining({ type: 'final' }),
    ]);
    const interims = events.flatMap((e) => (e.type === 'interim' ? [e.transcript] : []));
    expect(interims.map((t) => t.text)).toContain('w1 w2');
    expect(interims.every((t) => Math.abs((t.stability ?? 0) - 0.8) < 1e-6)).toBe(true);
  });

  test('sends 100 ms requests of at most 25,600 bytes, one stream, closed when the audio ends', async () => {
    stt = sttFor(emulator);
    const frames = framesOf(tokenAudio([{ say: [5, 6] }, { silenceMs: 1030 }]), { frameMs: 1000 });
    await transcribeAll(stt, frames);

    const [call] = emulator.callsOf('StreamingRecognize');
    expect(emulator.calls).toHaveLength(1);
    expect(call?.chunkBytes.slice(0, -1).every((size) => size === 3200)).toBe(true);
    expect(call?.chunkBytes.reduce((a, b) => a + b, 0)).toBe(1430 * 32);
    expect(call?.state).toBe('ok');
    expect(call?.config).toMatchObject({
      config: { encoding: 'LINEAR16', sampleRateHertz: 16000, languageCode: 'en-US' },
      interimResults: true,
      enableVoiceActivityEvents: true,
    });
    expect(emulator.openCalls).toEqual([]);
  });
});
