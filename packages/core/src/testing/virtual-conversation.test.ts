import { tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../frames/audio';
import type { LlmProvider } from '../providers/llm';
import { replyFrom } from '../session/pipeline/from-streams';
import { virtualConversation } from './virtual-conversation';

const question = { text: 'what is the weather', startMs: 500 }; // 4 words × 300 ms: ends at 1700

describe('virtualConversation', () => {
  it('streams 20 ms frames of the samples asked for, each when its last sample was captured, one queued at a time', () => {
    const heard: { frame: AudioFrame; at: number }[] = [];
    const c = virtualConversation({
      micMs: 100,
      micSamples: (startMs) => new Int16Array(320).fill(startMs),
      wrapStt: (stt, scheduler) => ({
        specificationVersion: 'v1',
        name: stt.name,
        sampleRate: stt.sampleRate,
        transcribe: (audio$) =>
          stt.transcribe(audio$.pipe(tap((frame) => heard.push({ frame, at: scheduler.now() })))),
      }),
    });
    // The next frame is queued when the previous one arrives, not the whole call up front.
    expect(c.scheduler.actions).toHaveLength(1);
    c.run();
    expect(heard.map(({ frame, at }) => [frame.startMs, at, frame.samples[0], frame.samples.length])).toEqual(
      [
        [0, 20, 0, 320],
        [20, 40, 20, 320],
        [40, 60, 40, 320],
        [60, 80, 60, 320],
        [80, 100, 80, 320],
      ],
    );
    expect(heard.every(({ frame }) => frame.sampleRate === 16000 && frame.channels === 1)).toBe(true);
    c.session.close();
  });

  it('records every session event with its virtual time: the final 100 ms after the speech, the answer spoken, the phases in order', () => {
    const c = virtualConversation({ utterances: [question], micMs: 6000 });
    c.run();
    const [final] = c.ofType('transcript').filter((e) => e.transcript.isFinal);
    expect(final).toMatchObject({ at: 1800, transcript: { text: 'what is the weather', endMs: 1700 } });
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['what is the weather']);
    expect(c.ofType('speech-end')).toMatchObject([
      { text: 'Sure. It is sunny and warm today.', interrupted: false },
    ]);
    expect(c.assistantTexts()).toEqual(['Sure. It is sunny and warm today.']);
    expect(c.phases()).toEqual(['user-speaking', 'listening', 'processing', 'agent-speaking', 'listening']);
    expect(c.events.map((e) => e.at)).toEqual([...c.events.map((e) => e.at)].sort((a, b) => a - b));
    expect(c.events.at(-1)?.at).toBeLessThanOrEqual(6000);
  });

  it('gives each wrap hook its fake and the clock, and the session what the hook returns', () => {
    const requests: string[] = [];
    const c = virtualConversation({
      utterances: [question],
      micMs: 6000,
      llm: { reply: 'It rains.' },
      wrapLlm: (llm, scheduler): LlmProvider => {
        expect(scheduler.now()).toBe(0);
        return {
          specificationVersion: 'v1',
          name: 'counted',
          generate: (request) => {
            requests.push(String(request.messages.at(-1)?.content));
            return llm.generate(request);
          },
        };
      },
    });
    c.run();
    expect(requests).toEqual(['what is the weather']);
    expect(c.llm.requests).toHaveLength(1);
    expect(c.assistantTexts()).toEqual(['It rains.']);
  });

  it('withVad: a detector hearing the same utterances; every stream is closed with the session', () => {
    const c = virtualConversation({ utterances: [question], micMs: 6000, withVad: true });
    let openBeforeClose = 0;
    c.at(5000, () => {
      openBeforeClose = c.vad!.streams.open;
      c.session.close();
    });
    c.run();
    expect(openBeforeClose).toBe(1);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['what is the weather']);
    expect(c.vad!.streams.open + c.stt.streams.open + c.llm.streams.open + c.tts.streams.open).toBe(0);
  });

  it('runs `at` actions at their absolute time (at once when it has passed), and `later` settles in virtual time', async () => {
    const c = virtualConversation({ micMs: 0 });
    const seen: [string, number][] = [];
    const aborted = new AbortController();
    c.at(300, () => {
      seen.push(['at 300', c.scheduler.now()]);
      c.at(100, () => seen.push(['at 100, late', c.scheduler.now()]));
      aborted.abort(new Error('gone'));
    });
    const value = c.later(200, 'ready').then((v) => seen.push([v, c.scheduler.now()]));
    const cancelled = c.later(1000, 'never', aborted.signal);
    await c.runAsync();
    await value;
    await expect(cancelled).rejects.toThrow('gone');
    expect(seen).toEqual([
      ['ready', 200],
      ['at 300', 300],
      ['at 100, late', 300],
    ]);
    expect(c.scheduler.now()).toBe(300); // the cancelled timer did not hold the clock
  });

  it('runAsync lets a reply stage that awaits speak in the virtual moment it belongs to', async () => {
    const c = virtualConversation({
      utterances: [question],
      micMs: 6000,
      config: {
        pipeline: {
          reply: () =>
            replyFrom(
              (async function* () {
                yield 'Let me see. ';
                await c.later(500, undefined);
                yield 'It is warm.';
              })(),
            ),
        },
      },
    });
    await c.runAsync();
    expect(c.assistantTexts()).toEqual(['Let me see. It is warm.']);
    expect(c.llm.requests).toHaveLength(0);
  });
});
