import { describe, expect, it } from 'vitest';
import type { SttEvent } from '../src/frames/transcript';
import type { VoiceSessionConfig } from '../src/session/config';
import { virtualConversation } from '../src/testing/virtual-conversation';

/**
 * A recognizer whose interims carry no stability (like PocketSphinx) reports, in the order a
 * real one would: the user speaks from 500 ms, stops at 1350 ms; a short pause is noticed at
 * 1500 ms, the end of speech (300 ms of silence) at 1650 ms, the final at 1700 ms.
 */
const question: readonly (readonly [number, SttEvent])[] = [
  [500, { type: 'speech-start', atMs: 500 }],
  [1000, { type: 'interim', transcript: { text: 'what time', isFinal: false } }],
  [1400, { type: 'interim', transcript: { text: 'what time is it', isFinal: false } }],
  [1500, { type: 'speech-pause', atMs: 1350 }],
  [1650, { type: 'speech-end', atMs: 1350 }],
  [1700, { type: 'final', transcript: { text: 'what time is it', isFinal: true, endMs: 1350 } }],
];
const vadTurns: Partial<VoiceSessionConfig> = { turnDetection: { mode: 'vad', minEndpointDelayMs: 100 } };

function talk(script: readonly (readonly [number, SttEvent])[], config: Partial<VoiceSessionConfig> = {}) {
  const c = virtualConversation({ micMs: 6000, config: { ...vadTurns, ...config } });
  for (const [at, event] of script) c.at(at, () => c.stt.emit(event));
  /** How many LLM requests had been made by each time asked. */
  const requestsAt = (ms: number) => {
    const seen = { count: -1 };
    c.at(ms, () => (seen.count = c.llm.requests.length));
    return seen;
  };
  return { c, requestsAt };
}

describe('preemptive generation at a pause in the voice', () => {
  it('starts the reply at the pause, holds it, and speaks as soon as the turn is confirmed', () => {
    const eager = talk(question, { preemptiveGeneration: { enabled: true } });
    const beforePause = eager.requestsAt(1499);
    const atPause = eager.requestsAt(1501);
    eager.c.run();
    const normal = talk(question);
    normal.c.run();

    expect([beforePause.count, atPause.count]).toEqual([0, 1]);
    expect(eager.c.llm.requests).toHaveLength(1);
    const [turn] = eager.c.ofType('user-turn');
    expect(turn!.text).toBe('what time is it');
    expect(turn!.at).toBe(1750);
    // Nothing was spoken before the turn was confirmed; then the early start is pure gain.
    const firstAudio = (c: typeof normal.c) => c.ofType('audio')[0]!.at;
    expect(eager.c.ofType('speech-start')[0]!.at).toBe(1750);
    expect(firstAudio(eager.c)).toBeGreaterThanOrEqual(1750);
    expect(firstAudio(normal.c) - firstAudio(eager.c)).toBe(1750 - 1500);
    expect(eager.c.ofType('metrics')[0]!.metrics.preemptiveWasted).toBe(0);
    expect(eager.c.session.history.at(-1)).toEqual(normal.c.session.history.at(-1));
  });

  it('drops the early reply as soon as the user goes on, and answers the whole turn', () => {
    const goesOn: (readonly [number, SttEvent])[] = [
      ...question.slice(0, 4),
      [1700, { type: 'interim', transcript: { text: 'what time is it in paris', isFinal: false } }],
      [2300, { type: 'speech-pause', atMs: 2150 }],
      [2450, { type: 'speech-end', atMs: 2150 }],
      [2500, { type: 'final', transcript: { text: 'what time is it in paris', isFinal: true } }],
    ];
    const { c } = talk(goesOn, { preemptiveGeneration: { enabled: true } });
    const openAfterResume = { llm: -1, tts: -1 };
    c.at(1701, () => {
      openAfterResume.llm = c.llm.streams.open;
      openAfterResume.tts = c.tts.streams.open;
    });
    c.run();

    expect(openAfterResume).toEqual({ llm: 0, tts: 0 });
    expect(c.llm.requests.map((r) => r.messages.at(-1)!.content)).toEqual([
      'what time is it',
      'what time is it in paris',
    ]);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['what time is it in paris']);
    expect(c.ofType('speech-start')).toHaveLength(1);
    expect(c.ofType('metrics')[0]!.metrics.preemptiveWasted).toBe(1);
    expect(c.llm.streams.open + c.tts.streams.open).toBe(0);
  });

  it('does not start early on a pause before any word was heard', () => {
    const script: (readonly [number, SttEvent])[] = [
      [500, { type: 'speech-start', atMs: 500 }],
      [800, { type: 'speech-pause', atMs: 650 }],
      ...question.slice(1, 3),
      ...question.slice(4),
    ];
    const { c, requestsAt } = talk(script, { preemptiveGeneration: { enabled: true } });
    const beforeFinal = requestsAt(1699);
    c.run();
    expect(beforeFinal.count).toBe(0);
    expect(c.llm.requests).toHaveLength(1);
    expect(c.ofType('metrics')[0]!.metrics.preemptiveWasted).toBe(0);
  });

  it('leaves the turn alone: the user is still speaking after a pause, and nothing starts when preemption is off', () => {
    const { c, requestsAt } = talk(question);
    const userAfterPause = { state: '' };
    c.at(1600, () => (userAfterPause.state = c.session.state.user));
    const beforeTurn = requestsAt(1749);
    c.run();
    expect(userAfterPause.state).toBe('speaking');
    expect(beforeTurn.count).toBe(0);
    expect(c.ofType('user-turn').map((e) => e.at)).toEqual([1750]);
  });

  it('uses the pause of the session VAD when a VAD drives user activity', () => {
    const c = virtualConversation({
      micMs: 6000,
      withVad: true,
      config: { ...vadTurns, preemptiveGeneration: { enabled: true } },
    });
    const vad = c.vad!;
    c.at(500, () => vad.emit({ type: 'speech-start', atMs: 500, probability: 0.9 }));
    for (const [at, event] of question)
      if (event.type === 'interim' || event.type === 'final') c.at(at, () => c.stt.emit(event));
    c.at(1500, () => vad.emit({ type: 'speech-pause', atMs: 1350, probability: 0.1 }));
    c.at(1650, () => vad.emit({ type: 'speech-end', atMs: 1350, probability: 0.1 }));
    const seen = { requests: -1, user: '' };
    c.at(1501, () => {
      seen.requests = c.llm.requests.length;
      seen.user = c.session.state.user;
    });
    c.run();

    expect(seen).toEqual({ requests: 1, user: 'speaking' });
    expect(c.llm.requests).toHaveLength(1);
    expect(c.ofType('user-turn').map((e) => [e.text, e.at])).toEqual([['what time is it', 1750]]);
    expect(c.ofType('metrics')[0]!.metrics.preemptiveWasted).toBe(0);
  });
});
