import { afterEach, describe, expect, it } from 'vitest';
import { type PhoneHarness, phoneHarness } from './harness';

let h: PhoneHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CLOSED = { stt: 0, llm: 0, tts: 0, calls: 0, sessions: 0 };

describe('a phone call through the Twilio emulator', () => {
  it('greets, hears the question, answers, and the caller hears all of it at real time', async () => {
    h = await phoneHarness({
      greeting: 'Hello, you reached the demo.',
      utterances: [{ text: 'what time is it', startMs: 2500 }],
      llm: { reply: 'It is noon.' },
    });
    const call = await h.dial({ customParameters: { from: '+14155550100' } });
    await call.waitFor(
      () => h!.sessions[0]?.state.agent === 'listening' && call.heardMs() > 0,
      10_000,
      'greeting',
    );
    await call.waitFor(
      () => h!.sessions[0]!.history.some((m) => m.role === 'assistant' && m.content === 'It is noon.'),
      10_000,
      'answer',
    );
    await call.waitFor(() => h!.sessions[0]!.state.agent === 'listening', 10_000, 'end of answer');
    const session = h.sessions[0]!;

    expect(session.history.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['assistant', 'Hello, you reached the demo.'],
      ['user', 'what time is it'],
      ['assistant', 'It is noon.'],
    ]);
    // Everything synthesized was heard: the fake TTS speaks 60 ms a character of what it was given.
    const generatedMs = h.tts.texts.reduce((ms, text) => ms + text.length * 60, 0);
    expect(h.tts.texts.length).toBeGreaterThanOrEqual(2);
    expect(call.heardMs()).toBeGreaterThanOrEqual(generatedMs);
    expect(call.heardMs()).toBeLessThanOrEqual(generatedMs + 2 * 20);
    // Every frame was followed by a mark and every mark came back played.
    expect(call.messages('media').length).toBe(call.heard.length);
    expect(call.echoedMarks.length).toBe(call.messages('mark').length);
    expect(call.echoedMarks.every((m) => !m.wasCleared)).toBe(true);
    expect(call.messages('media').every(({ message }) => message.streamSid === call.streamSid)).toBe(true);
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(CLOSED);
  });

  it('clears the line when the caller barges in, and the history keeps only what the caller heard', async () => {
    const reply = 'One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.';
    h = await phoneHarness({
      utterances: [
        { text: 'tell me a story', startMs: 300 },
        { text: 'stop there please', startMs: 3000 },
      ],
      llm: { reply: (_, n) => (n === 0 ? reply : 'Okay.') },
    });
    const call = await h.dial();
    await call.waitFor(() => call.clears.length > 0, 10_000, 'a clear');
    await call.waitFor(
      () => h!.sessions[0]!.history.some((m) => m.role === 'user' && m.content === 'stop there please'),
      10_000,
      'second turn',
    );
    const session = h.sessions[0]!;
    const firstClearAt = call.clears[0]!;
    // Nothing played after the clear arrived (the frame playing then was cut there) until the
    // audio of the next reply came.
    const nextReplyAt =
      call.received.find(({ atMs, message }) => atMs > firstClearAt && message.event === 'media')?.atMs ??
      Number.POSITIVE_INFINITY;
    expect(call.heard.filter((f) => f.atMs > firstClearAt && f.atMs <= nextReplyAt)).toEqual([]);
    const interrupted = session.history.find(
      (m) => m.role === 'assistant' && 'interrupted' in m && m.interrupted,
    );
    expect(interrupted?.content.length).toBeLessThan(reply.length);
    // The words whose audio had started within what the caller heard (fake TTS: 60 ms a char).
    // The session's position is the last echoed mark plus the time since: never past what the
    // caller heard, behind it by what was travelling (the bench finds 40 cuts of 40 exact; under
    // a loaded test run a loopback hop can take a few frames, so a word may be left out).
    const wordsHeardIn = (ms: number) =>
      reply
        .split(' ')
        .filter((_, i, words) => words.slice(0, i).join(' ').length + (i > 0 ? 1 : 0) < ms / 60)
        .join(' ');
    const heardMs = call.heard.filter((f) => f.atMs <= firstClearAt).reduce((ms, f) => ms + f.durationMs, 0);
    const candidates = Array.from({ length: 6 }, (_, i) => wordsHeardIn(heardMs - i * 20));
    expect(candidates).toContain(interrupted!.content);
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(CLOSED);
  });
});

describe('what the caller does mid-call', () => {
  it('a backchannel pauses the agent and the speech goes on from the last frame heard, not interrupted', async () => {
    const reply = 'One two three four five six seven eight nine ten eleven twelve.';
    h = await phoneHarness({
      utterances: [
        { text: 'count for me', startMs: 300 },
        { text: 'mhm', startMs: 2500, durationMs: 250 },
      ],
      llm: { reply },
    });
    const call = await h.dial();
    await call.waitFor(
      () => h!.sessions[0]?.history.some((m) => m.role === 'assistant') ?? false,
      15_000,
      'reply',
    );
    const session = h.sessions[0]!;
    expect(
      session.history.slice(1).map((m) => [m.role, m.content, 'interrupted' in m && m.interrupted === true]),
    ).toEqual([
      ['user', 'count for me', false],
      ['assistant', reply, false],
    ]);
    // The pause cleared the line; the resume replayed what was cleared, so nothing was lost.
    expect(call.clears.length).toBe(1);
    const speechMs = h.tts.texts.reduce((ms, text) => ms + text.length * 60, 0);
    expect(call.heardMs()).toBeGreaterThanOrEqual(speechMs);
    // Heard twice at most: the start of the frame the pause cut, and played frames whose marks
    // were still on their way back. Never more than the line held: the lead (150 ms) and a frame.
    expect(call.heardMs()).toBeLessThanOrEqual(speechMs + 150 + 40);
  });

  it('turns keys into dtmf events of the session', async () => {
    h = await phoneHarness();
    const call = await h.dial();
    await call.waitFor(() => h!.sessions.length === 1, 5000, 'session');
    const digits: string[] = [];
    h.sessions[0]!.on('dtmf', ({ digit }) => digits.push(digit));
    call.pressKey('1');
    call.pressKey('#');
    await call.waitFor(() => digits.length === 2, 5000, 'two keys');
    expect(digits).toEqual(['1', '#']);
  });

  it('a hang-up mid-reply ends the session and every provider stream at once', async () => {
    h = await phoneHarness({
      utterances: [{ text: 'tell me everything', startMs: 300 }],
      llm: { reply: 'This is a very long answer that goes on. And on, and on, for quite a while yet.' },
    });
    const call = await h.dial();
    await call.waitFor(() => call.heardMs() >= 200, 10_000, 'reply playing');
    const session = h.sessions[0]!;
    expect(session.state.agent).toBe('speaking');
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(CLOSED);
    const sentBefore = call.received.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(call.received.length).toBe(sentBefore);
  });

  it('a dropped connection (no stop) ends the call the same way', async () => {
    h = await phoneHarness({
      utterances: [{ text: 'hello', startMs: 300 }],
      llm: { reply: 'Hi there, how can I help you today?' },
    });
    const call = await h.dial();
    await call.waitFor(() => call.heardMs() >= 100, 10_000, 'reply playing');
    call.dropConnection();
    await call.waitFor(() => h!.sessions[0]!.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(CLOSED);
  });
});
