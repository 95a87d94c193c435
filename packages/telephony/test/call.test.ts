import { describe, expect, it } from 'vitest';
import {
  BARGE_IN_CALL,
  bargedIn,
  expectClearedAndHeard,
  expectWholeCallHeard,
  WHOLE_CALL,
} from './call-expectations';
import { ALL_CLOSED, phoneHarnessPerTest } from './harness';

const harness = phoneHarnessPerTest();

describe('a phone call through the Twilio emulator', () => {
  it('greets, hears the question, answers, and the caller hears all of it at real time', async () => {
    const h = await harness(WHOLE_CALL);
    const call = await h.dial({ customParameters: { from: '+14155550100' } });
    await call.waitFor(
      () => h.sessions[0]?.state.agent === 'listening' && call.heardMs() > 0,
      10_000,
      'greeting',
    );
    const session = await expectWholeCallHeard(call, h);
    // Every frame was followed by a mark and every mark came back played.
    expect(call.messages('media').length).toBe(call.heard.length);
    expect(call.echoedMarks.length).toBe(call.messages('mark').length);
    expect(call.echoedMarks.every((m) => !m.wasCleared)).toBe(true);
    expect(call.messages('media').every(({ message }) => message.streamSid === call.streamSid)).toBe(true);
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(ALL_CLOSED);
  });

  it('clears the line when the caller barges in, and the history keeps only what the caller heard', async () => {
    const h = await harness(BARGE_IN_CALL);
    const call = await h.dial();
    await bargedIn(call, () => h.sessions[0]);
    const session = h.sessions[0]!;
    expectClearedAndHeard(call, session);
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(ALL_CLOSED);
  });
});

describe('what the caller does mid-call', () => {
  it('a backchannel pauses the agent and the speech goes on from the last frame heard, not interrupted', async () => {
    const reply = 'One two three four five six seven eight nine ten eleven twelve.';
    const h = await harness({
      utterances: [
        { text: 'count for me', startMs: 300 },
        { text: 'mhm', startMs: 2500, durationMs: 250 },
      ],
      llm: { reply },
    });
    const call = await h.dial();
    await call.waitFor(
      () => h.sessions[0]?.history.some((m) => m.role === 'assistant') ?? false,
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
    const h = await harness();
    const call = await h.dial();
    await call.waitFor(() => h.sessions.length === 1, 5000, 'session');
    const digits: string[] = [];
    h.sessions[0]!.on('dtmf', ({ digit }) => digits.push(digit));
    call.pressKey('1');
    call.pressKey('#');
    await call.waitFor(() => digits.length === 2, 5000, 'two keys');
    expect(digits).toEqual(['1', '#']);
  });

  it('a hang-up mid-reply ends the session and every provider stream at once', async () => {
    const h = await harness({
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
    expect(h.openResources()).toEqual(ALL_CLOSED);
    const sentBefore = call.received.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(call.received.length).toBe(sentBefore);
  });

  it('a dropped connection (no stop) ends the call the same way', async () => {
    const h = await harness({
      utterances: [{ text: 'hello', startMs: 300 }],
      llm: { reply: 'Hi there, how can I help you today?' },
    });
    const call = await h.dial();
    await call.waitFor(() => call.heardMs() >= 100, 10_000, 'reply playing');
    call.dropConnection();
    await call.waitFor(() => h.sessions[0]!.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(ALL_CLOSED);
  });
});
