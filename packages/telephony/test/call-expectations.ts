import type { VoiceSession } from '@voxduplex/core';
import { expect } from 'vitest';
import type { EmulatedCall } from '../src/testing/index';
import type { PhoneHarness, PhoneHarnessOptions } from './harness';

/** A caller greeted, who asks the time at 2.5 s and is answered. */
export const WHOLE_CALL: PhoneHarnessOptions = {
  greeting: 'Hello, you reached the demo.',
  utterances: [{ text: 'what time is it', startMs: 2500 }],
  llm: { reply: 'It is noon.' },
};

/**
 * Waits for a {@link WHOLE_CALL} to be answered and played out, then checks what the caller
 * observes: the history of the three turns, and every synthesized millisecond heard (the fake
 * TTS speaks 60 ms a character), no more than a padded frame or two beyond.
 */
export async function expectWholeCallHeard(call: EmulatedCall, h: PhoneHarness): Promise<VoiceSession> {
  await call.waitFor(
    () => h.sessions[0]?.history.some((m) => m.role === 'assistant' && m.content === 'It is noon.') ?? false,
    15_000,
    'answer',
  );
  await call.waitFor(() => h.sessions[0]!.state.agent === 'listening', 10_000, 'end of answer');
  const session = h.sessions[0]!;
  expect(session.history.slice(1).map((m) => [m.role, m.content])).toEqual([
    ['assistant', 'Hello, you reached the demo.'],
    ['user', 'what time is it'],
    ['assistant', 'It is noon.'],
  ]);
  const generatedMs = h.tts.texts.reduce((ms, text) => ms + text.length * 60, 0);
  expect(h.tts.texts.length).toBeGreaterThanOrEqual(2);
  expect(call.heardMs()).toBeGreaterThanOrEqual(generatedMs);
  expect(call.heardMs()).toBeLessThanOrEqual(generatedMs + 2 * 20);
  return session;
}

export const BARGE_IN_REPLY =
  'One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.';

/** A caller who asks for a story, then talks over the reply at 3 s. */
export const BARGE_IN_CALL: PhoneHarnessOptions = {
  utterances: [
    { text: 'tell me a story', startMs: 300 },
    { text: 'stop there please', startMs: 3000 },
  ],
  llm: { reply: (_, n) => (n === 0 ? BARGE_IN_REPLY : 'Okay.') },
};

/** Waits for the barge-in's clear and the second turn of a {@link BARGE_IN_CALL}. */
export async function bargedIn(call: EmulatedCall, session: () => VoiceSession | undefined): Promise<void> {
  await call.waitFor(() => call.clears.length > 0, 10_000, 'a clear');
  await call.waitFor(
    () => session()?.history.some((m) => m.role === 'user' && m.content === 'stop there please') ?? false,
    10_000,
    'second turn',
  );
}

/**
 * What the caller must observe after a barge-in: nothing played from the clear until the next
 * reply's audio, and the history's interrupted reply holds the words whose audio had started in
 * what the caller heard (fake TTS: 60 ms a character).
 */
export function expectClearedAndHeard(call: EmulatedCall, session: VoiceSession): void {
  const firstClearAt = call.clears[0]!;
  // The frame playing when the clear arrived was cut there; nothing more until the next reply.
  const nextReplyAt =
    call.received.find(({ atMs, message }) => atMs > firstClearAt && message.event === 'media')?.atMs ??
    Number.POSITIVE_INFINITY;
  expect(call.heard.filter((f) => f.atMs > firstClearAt && f.atMs <= nextReplyAt)).toEqual([]);
  const interrupted = session.history.find(
    (m) => m.role === 'assistant' && 'interrupted' in m && m.interrupted,
  );
  expect(interrupted?.content.length).toBeLessThan(BARGE_IN_REPLY.length);
  // The session's position is the last echoed mark plus the time since: never past what the
  // caller heard, behind it by what was travelling (the bench finds 40 cuts of 40 exact; under
  // a loaded test run a loopback hop can take a few frames, so a word may be left out).
  const wordsHeardIn = (ms: number) =>
    BARGE_IN_REPLY.split(' ')
      .filter((_, i, words) => words.slice(0, i).join(' ').length + (i > 0 ? 1 : 0) < ms / 60)
      .join(' ');
  const heardMs = call.heard.filter((f) => f.atMs <= firstClearAt).reduce((ms, f) => ms + f.durationMs, 0);
  const candidates = Array.from({ length: 6 }, (_, i) => wordsHeardIn(heardMs - i * 20));
  expect(candidates).toContain(interrupted!.content);
}
