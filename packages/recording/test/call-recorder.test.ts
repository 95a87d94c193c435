import { fallbackLlm, ProviderUnavailableError } from '@voxduplex/core';
import { FakeLlm, silence, sineTone } from '@voxduplex/core/testing';
import { virtualCall } from '@voxduplex/test-support';
import { describe, expect, it } from 'vitest';
import { CallRecorder, formatCallTimeline, readCallJournal } from '../src/index';
import { countingSink, firstLoud, lastLoud, memorySink } from './sinks';

const question = { text: 'what is the weather in paris', startMs: 500 };

/** A call in virtual time with a recorder attached at t = 0. */
function recordedCall(options: Parameters<typeof virtualCall>[0] = {}, sink = memorySink()) {
  let now = () => 0;
  const recorder = new CallRecorder({ sink: sink.sink, now: () => now() });
  const call = virtualCall({
    ...options,
    config: { ...options.config, pipeline: { audioIn: recorder.audioIn } },
  });
  now = () => call.scheduler.now();
  recorder.attach(call.session);
  return { ...call, recorder, sink };
}

const toneAt = (fromMs: number, toMs: number) => (startMs: number) =>
  startMs >= fromMs && startMs < toMs
    ? sineTone(20, 16000, { frequencyHz: 1000, phaseSamples: 1 })
    : silence(20, 16000);

describe('CallRecorder', () => {
  it('puts a user tone and the agent reply at their samples on the session clock', async () => {
    const c = recordedCall({ utterances: [question], micMs: 8000, micSamples: toneAt(1000, 1200) });
    c.run();
    c.session.close();
    const { durationMs } = await c.recorder.finished;
    const { user, agent } = c.sink.channels();

    // The frame captured over 1000–1020 ms of the mic arrived at 1020 ms: it sits at 1000 ms.
    expect(firstLoud(user)).toBe(16_000);
    expect(lastLoud(user)).toBeGreaterThanOrEqual(1200 * 16 - 2); // the sine's last sample is a zero crossing
    expect(firstLoud(user, 1200 * 16)).toBe(-1);
    const firstAudioAt = c.ofType('audio')[0]!.at;
    // The fake TTS speaks a sine from phase 0: its first non-zero sample is the second.
    expect(firstLoud(agent)).toBeGreaterThanOrEqual(firstAudioAt * 16);
    expect(firstLoud(agent)).toBeLessThanOrEqual(firstAudioAt * 16 + 1);
    const end = c.ofType('speech-end')[0]!;
    expect(lastLoud(agent)).toBeLessThan((firstAudioAt + end.playedMs) * 16);
    expect(lastLoud(agent)).toBeGreaterThan((firstAudioAt + end.playedMs) * 16 - 16);
    expect(user.length).toBe(durationMs * 16);
    expect(c.sink.transcript()).toMatchObject({ durationMs, endReason: 'closed', sessionId: c.session.id });
    expect(c.sink.finished!.header.subarray(40, 44)).toEqual(
      new Uint8Array(new Uint32Array([user.length * 4]).buffer),
    );
  });

  it('keeps only the heard part of an interrupted reply, and the barge-in in the transcript', async () => {
    const c = recordedCall({
      utterances: [question, { text: 'wait what about dragons then', startMs: 5000 }],
      llm: { reply: 'One two three four. Five six seven eight. Nine ten eleven twelve.' },
      tts: { wordTimings: true },
      micMs: 14_000,
    });
    c.run();
    c.session.close();
    await c.recorder.finished;
    const transcript = c.sink.transcript();
    const { agent } = c.sink.channels();

    const [cut, answer] = c.ofType('speech-end');
    expect(cut!.interrupted).toBe(true);
    expect(cut!.playedMs).toBeGreaterThan(0);
    const [firstStart, secondStart] = [...new Set(c.ofType('audio').map((e) => e.audio.speechId))].map(
      (id) => c.ofType('audio').find((e) => e.audio.speechId === id)!.at,
    );
    const heardEnd = (firstStart! + cut!.playedMs) * 16;
    // Agent audio up to the heard position, then silence until the next answer.
    expect(lastLoud(agent, secondStart! * 16)).toBeGreaterThan(heardEnd - 16);
    expect(lastLoud(agent, secondStart! * 16)).toBeLessThan(heardEnd);

    const [first, second] = transcript.turns;
    expect(first!.userText).toBe(question.text);
    expect(first!.speeches[0]).toMatchObject({
      interrupted: true,
      heardText: cut!.heardText,
      playedMs: cut!.playedMs,
      startMs: firstStart,
    });
    expect(first!.speeches[0]!.controls.map((control) => control.type)).toEqual(['pause', 'interrupt']);
    const heardWords = first!.speeches[0]!.words.map((w) => w.word).join(' ');
    expect(cut!.heardText.startsWith(heardWords.split(' ').slice(0, -1).join(' '))).toBe(true);
    for (const word of first!.speeches[0]!.words)
      expect(word.startMs).toBeLessThan(first!.speeches[0]!.endMs!);
    expect(first!.metrics).toMatchObject({ interrupted: true });
    expect(second!.userText).toBe('wait what about dragons then');
    expect(second!.utterances[0]!.startMs).toBe(5000);
    expect(answer!.interrupted).toBe(false);
    expect(second!.metrics?.llmTtftMs).toBe(300);
  });

  it('holds the same memory in minute 30 as in minute 2, and writes 64 kB per second of call', async () => {
    const minutes = 30;
    const utterances = Array.from({ length: minutes * 3 }, (_, i) => ({
      text: `question number ${i}`,
      startMs: 2000 + i * 20_000,
    }));
    const sink = countingSink();
    const c = recordedCall({ utterances, micMs: minutes * 60_000 }, sink as never);
    const held: number[] = [];
    for (let minute = 1; minute <= minutes; minute++)
      c.at(minute * 60_000, () => held.push(c.recorder.heldBytes));
    c.run();
    const closedAtMs = c.scheduler.now();
    c.session.close();
    await c.recorder.finished;

    expect(c.ofType('speech-end').length).toBe(minutes * 3);
    const early = Math.max(...held.slice(0, 2));
    expect(Math.max(...held)).toBeLessThanOrEqual(early);
    expect(Math.max(...held)).toBeLessThan(256 * 1024);
    expect(sink.bytes).toBe(44 + closedAtMs * 16 * 4);
    expect(sink.writes).toBeGreaterThan((minutes * 60_000) / 1000); // written as it went, not at the end
    // The transcript too: journal lines left every few seconds, holding nothing back.
    expect(sink.journalWrites).toBeGreaterThanOrEqual(minutes * 3 * 3);
    expect(sink.journalBytes).toBeGreaterThan(minutes * 3 * 500);
  });

  it('journals the call as it goes: a recording that never ended reads back to its last second', () => {
    const c = recordedCall({
      utterances: [question, { text: 'and tomorrow', startMs: 9000 }, { text: 'thanks', startMs: 18_000 }],
      micMs: 30_000,
    });
    let journalAt20s = '';
    c.at(20_000, () => {
      journalAt20s = c.sink.journalText();
    });
    c.run(); // and the process dies: no close, no finish

    const atCrash = readCallJournal(journalAt20s);
    expect(atCrash.endReason).toBeUndefined();
    const settled = c.ofType('metrics').filter((event) => event.at <= 20_000 - 1000);
    expect(settled.length).toBeGreaterThanOrEqual(2);
    for (const { metrics } of settled) {
      const turn = atCrash.turns.find((t) => t.turnId === metrics.turnId);
      expect(turn?.metrics).toEqual(metrics);
      expect(turn?.speeches[0]).toMatchObject({ interrupted: false, heardText: expect.any(String) });
    }
    expect(atCrash.durationMs).toBeGreaterThan(20_000 - 2000);
    expect(formatCallTimeline(atCrash)).toContain('the recording never ended');
    expect(formatCallTimeline(atCrash)).toContain('user   and tomorrow');
    // Later, everything up to the last event is there; only the end is missing.
    const whole = c.sink.transcript();
    expect(whole.turns.map((t) => t.userText)).toEqual([question.text, 'and tomorrow', 'thanks']);
    expect(c.sink.finished).toBeUndefined();
    c.session.close();
  });

  it('records a fallback chain moving to its backup', async () => {
    const down = new FakeLlm({ name: 'primary', reply: [{ error: new ProviderUnavailableError('down') }] });
    const c = recordedCall({
      utterances: [question],
      micMs: 8000,
      wrapLlm: (backup) => fallbackLlm([down, backup]),
    });
    c.run();
    c.session.close();
    await c.recorder.finished;
    const transcript = c.sink.transcript();
    expect(transcript.providerChanges).toEqual([
      expect.objectContaining({ type: 'switched', kind: 'llm', from: 'primary', to: 'fake' }),
    ]);
    expect(transcript.turns[0]!.speeches[0]!.text).toBe('Sure. It is sunny today.');
    expect(formatCallTimeline(transcript)).toMatch(
      /llm {4}fallback\(primary,fake\): primary → fake \(provider_unavailable\)/,
    );
  });

  it('a failing sink costs the recording, never the call', async () => {
    const c = recordedCall({ utterances: [question], micMs: 6000 }, {
      sink: {
        write: () => {
          throw new Error('disk full');
        },
        journal: () => {},
        finish: async () => {},
      },
    } as never);
    c.run();
    expect(c.ofType('speech-end').length).toBe(1);
    c.session.close();
    await expect(c.recorder.finished).rejects.toThrow('disk full');
  });
});
