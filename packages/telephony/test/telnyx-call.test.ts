import { sineTone } from '@voxduplex/core/testing';
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

/** Chunks of audio end to end. */
const joined = (chunks: readonly Int16Array[]) =>
  Int16Array.from(chunks.flatMap((chunk) => Array.from(chunk)));

describe('a phone call through the Telnyx emulator', () => {
  it('greets, hears the question and answers over L16 16 kHz, every frame marked and played', async () => {
    const h = await harness({ carrier: 'telnyx', ...WHOLE_CALL });
    const call = await h.dialTelnyx({ codec: 'L16', from: '+13125550100' });
    const session = await expectWholeCallHeard(call, h);
    // Telnyx's outbound frames: 20 ms of L16 16 kHz (640 bytes), no stream id, each followed by a mark.
    const media = call.messages('media');
    expect(media.every(({ message }) => Object.keys(message).join() === 'event,media')).toBe(true);
    expect(call.heard.every((f) => f.samples.length === 320)).toBe(true);
    expect(call.echoedMarks.length).toBe(call.messages('mark').length);
    expect(call.echoedMarks.every((m) => !m.wasCleared)).toBe(true);
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(ALL_CLOSED);
  });

  it('clears the line when the caller barges in, and the history keeps only what was played', async () => {
    const h = await harness({ carrier: 'telnyx', ...BARGE_IN_CALL });
    const call = await h.dialTelnyx();
    await bargedIn(call, () => h.sessions[0]);
    expect(call.messages('clear')[0]!.message).toEqual({ event: 'clear' });
    expectClearedAndHeard(call, h.sessions[0]!);
  });

  it('puts out-of-order frames back in order and drops duplicates: the session gets the caller audio exactly', async () => {
    const h = await harness({ carrier: 'telnyx' });
    const call = await h.dialTelnyx({
      codec: 'L16',
      disorder: { outOfOrderEvery: 5, duplicateEvery: 7, displacement: 2 },
    });
    // 1.5 s of a sweep of tones: every 20 ms frame differs, so a swapped frame would show.
    const tones = [300, 450, 600, 750, 900].map((hz) => sineTone(300, 16_000, { frequencyHz: hz }));
    const said = joined(tones);
    await call.say(said, 16_000);
    // L16 16 kHz into a 16 kHz session passes through untouched: line the speech up and compare.
    const offset = said.findIndex((v) => v !== 0);
    await call.waitFor(
      () => {
        const received = joined(h.callerAudio[0]!);
        const start = received.findIndex((v) => v !== 0);
        return start >= 0 && received.length >= start - offset + said.length;
      },
      5000,
      'the speech received',
    );
    const received = joined(h.callerAudio[0]!);
    const start = received.findIndex((v) => v !== 0) - offset;
    expect(received.subarray(start, start + said.length)).toEqual(said);
    const stats = h.phone.stats();
    expect(stats.callerFramesReordered).toBeGreaterThan(0);
    expect(stats.callerFramesDropped).toBeGreaterThan(0);
    expect(stats.callerFramesFilled).toBe(0);
  });

  it('drops malformed messages with a log line, logs a Telnyx error frame, and the call lives', async () => {
    const h = await harness({
      carrier: 'telnyx',
      utterances: [{ text: 'are you still there', startMs: 1500 }],
      llm: { reply: 'Yes.' },
    });
    const call = await h.dialTelnyx({ codec: 'L16' });
    await call.waitFor(() => h.sessions.length === 1, 5000, 'session');
    call.sendRaw('{ not json');
    call.sendJson({ event: 'transcription', stream_id: call.streamId });
    call.sendJson({ event: 'media', media: { chunk: '99999', payload: 'AAAA' } }); // 3 bytes: not whole L16 samples
    call.sendError(100003, 'malformed_frame', 'The frame could not be parsed');
    const dropped = () =>
      h.lines
        .filter((l) => l.message?.startsWith('phone stream message dropped'))
        .map((l) => l.fields.problem);
    await call.waitFor(() => dropped().length >= 3, 5000, 'drops logged');
    expect(dropped()).toEqual(['malformed', 'unknown_event', 'malformed']);
    expect(h.lines.map((l) => l.message)).toContain(
      'carrier reported a stream error (100003): malformed_frame: The frame could not be parsed',
    );
    await call.waitFor(
      () => h.sessions[0]!.history.some((m) => m.role === 'assistant' && m.content === 'Yes.'),
      10_000,
      'answer',
    );
  });

  it('closes a stream in a format it does not speak before any session, and a hang-up mid-reply leaves nothing open', async () => {
    const h = await harness({
      carrier: 'telnyx',
      utterances: [{ text: 'tell me everything', startMs: 300 }],
      llm: { reply: 'This is a very long answer that goes on. And on, and on, for quite a while yet.' },
    });
    const refused = await h.dialTelnyx({ mediaFormat: { encoding: 'PCMA', sample_rate: 8000, channels: 1 } });
    expect(await refused.closed).toEqual({ code: 1003, reason: 'unusable_stream' });
    expect(h.createSessionCalls).toBe(0);
    const call = await h.dialTelnyx();
    await call.waitFor(() => call.heardMs() >= 200, 10_000, 'reply playing');
    const session = h.sessions[0]!;
    call.hangUp();
    await call.closed;
    await call.waitFor(() => session.isClosed, 2000, 'session closed');
    expect(h.openResources()).toEqual(ALL_CLOSED);
  });
});
