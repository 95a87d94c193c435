import { tokenAudio } from '@voxduplex/testing-google';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { GoogleStt } from '../src/index';
import { finalsOf, framesOf, GoogleSpeechEmulator, sttFor, transcribeAll } from './helpers';
import { conversation } from './script';

const TWENTY_MINUTES = 20 * 60_000;
const talk = conversation(TWENTY_MINUTES);
const frames = framesOf(tokenAudio(talk.parts), { startMs: 5000 });
const expected = talk.finals.map((f) => ({ text: f.text, startMs: f.startMs + 5000, endMs: f.endMs + 5000 }));
const shortTalk = conversation(10 * 60_000, 11);
const shortFrames = framesOf(tokenAudio(shortTalk.parts));

// Half-second requests and interims keep 20 minutes of audio to a few thousand gRPC messages.
const fast = { chunkMs: 500 } as const;

let emulator: GoogleSpeechEmulator;
let stt: GoogleStt | undefined;
beforeAll(async () => {
  emulator = await GoogleSpeechEmulator.start();
  emulator.recognizeDefaults = { interimEveryBytes: 16_000 };
});
afterEach(async () => {
  await stt?.close();
  emulator.calls.length = 0;
  emulator.recognizeDefaults = { interimEveryBytes: 16_000 };
});
afterAll(() => emulator.close());

function expectExactlyOnceInOrder(
  events: Awaited<ReturnType<typeof transcribeAll>>,
  wanted: readonly { text: string; startMs: number; endMs: number }[] = expected,
): void {
  const finals = finalsOf(events).map(({ text, startMs, endMs }) => ({ text, startMs, endMs }));
  expect(finals).toHaveLength(wanted.length);
  expect(finals).toEqual(wanted);
  const times = events.flatMap((e) =>
    e.type === 'final' ? [e.transcript.endMs!] : e.type === 'interim' ? [] : [e.atMs],
  );
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
}

describe('endless streaming over long audio', () => {
  test('20 minutes: rotates every 240 s of audio, even mid-utterance, and delivers every final once, in order', async () => {
    stt = sttFor(emulator, { ...fast, rotateAfterMs: 240_000, rotateWindowMs: 0 });
    const events = await transcribeAll(stt, frames);

    expectExactlyOnceInOrder(events);
    const calls = emulator.callsOf('StreamingRecognize');
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.every((c) => c.audioMs <= 240_000)).toBe(true);
    expect(calls.slice(0, -1).map((c) => c.state)).toEqual(calls.slice(0, -1).map(() => 'cancelled'));
    expect(calls.at(-1)?.state).toBe('ok');
    expect(stt.stats.rotations).toBe(calls.length - 1);
    expect(emulator.openCalls).toEqual([]);
  });

  test('20 minutes: by default rotates right after a final once a stream passes 180 s, so no stream starts mid-utterance', async () => {
    stt = sttFor(emulator, fast);
    const events = await transcribeAll(stt, frames);

    expectExactlyOnceInOrder(events);
    const calls = emulator.callsOf('StreamingRecognize');
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.every((c) => c.audioMs <= 240_000)).toBe(true);
    // Each rotated stream ended on a final: the next one starts with silence, so its first final is new.
    const firstFinals = calls.map((c) => c.finals[0]);
    expect(new Set(firstFinals).size).toBe(calls.length);
    expect(stt.stats.rotations).toBe(calls.length - 1);
    expect(emulator.openCalls).toEqual([]);
  });

  test('10 minutes: restarts after OUT_OF_RANGE "Exceeded maximum allowed stream duration" without losing a final', async () => {
    emulator.recognizeDefaults = { interimEveryBytes: 16_000, streamLimitMs: 100_000 };
    stt = sttFor(emulator, { ...fast, rotateAfterMs: 290_000 });
    const events = await transcribeAll(stt, shortFrames);

    expectExactlyOnceInOrder(events, shortTalk.finals);
    const calls = emulator.callsOf('StreamingRecognize');
    expect(calls.slice(0, -1).every((c) => c.status?.code === 11)).toBe(true);
    expect(stt.stats.restarts).toBe(calls.length - 1);
    expect(stt.stats.restarts).toBeGreaterThanOrEqual(5);
  });
});
