import { describe, expect, it } from 'vitest';
import { SessionClosedError } from '../src/errors/index';
import { SessionRegistry } from '../src/session/session-registry';
import { virtualConversation } from '../src/testing/virtual-conversation';

const story =
  'Once upon a time a robot lived by the sea. It counted waves every morning. One day it stopped counting.';

describe('session lifecycle', () => {
  it('close() mid-reply aborts every provider stream and timer and completes its observables', () => {
    const c = virtualConversation({
      utterances: [{ text: 'tell me a story', startMs: 500 }],
      withVad: true,
      micMs: 3000,
      llm: { reply: story, tokensPerSecond: 5 },
    });
    let pendingActionsAfterClose = -1;
    let isComplete = false;
    c.session.events$.subscribe({ complete: () => (isComplete = true) });
    c.at(3000, () => c.session.close('bye'));
    c.at(3001, () => (pendingActionsAfterClose = c.scheduler.actions.length));
    c.run();
    expect(c.llm.streams.cancelled).toBe(1);
    for (const fake of [c.stt, c.llm, c.tts, c.vad!]) expect(fake.streams.open).toBe(0);
    expect(pendingActionsAfterClose).toBe(0);
    expect(isComplete).toBe(true);
    expect(c.ofType('closed')).toEqual([expect.objectContaining({ reason: 'bye' })]);
    expect(c.session.state.agent).toBe('idle');
    expect(() => c.session.say('hello')).toThrow(SessionClosedError);
    c.session.pushAudio({ samples: new Int16Array(320), sampleRate: 16000 });
    c.session.close();
    expect(c.stt.streams.opened).toBe(1);
  });

  it('suspend() cuts the speech at the last ack, closes recognition, and resume() carries on with the same history', () => {
    const c = virtualConversation({
      utterances: [
        { text: 'tell me a story', startMs: 500 },
        { text: 'what happened next', startMs: 8000 },
      ],
      micMs: 12_000,
      llm: { reply: (_, call) => (call === 0 ? story : 'It rested.') },
    });
    c.session.on('speech-start', ({ speechId }) =>
      c.at(c.scheduler.now() + 1000, () => c.session.playbackAck({ speechId, playedMs: 600 })),
    );
    let sttOpenWhileAway = -1;
    c.at(3100, () => c.session.suspend());
    c.at(3500, () => {
      sttOpenWhileAway = c.stt.streams.open;
      expect(c.session.state.agent).toBe('idle');
    });
    c.at(6000, () => c.session.resume());
    c.run();
    expect(sttOpenWhileAway).toBe(0);
    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    // 600 ms acked of ≈ 2.1 s for the first sentence: the first few of its 10 words.
    expect(cut.heardText).toBe('Once upon');
    expect(c.llm.requests[1]!.messages.slice(1)).toEqual([
      { role: 'user', content: 'tell me a story' },
      { role: 'assistant', content: 'Once upon', interrupted: true },
      { role: 'user', content: 'what happened next' },
    ]);
    expect(c.session.state.agent).toBe('listening');
  });

  it('a registry closes the sessions it removes and forgets sessions that close themselves', () => {
    const registry = new SessionRegistry();
    const a = virtualConversation({ micMs: 0 }).session;
    const b = virtualConversation({ micMs: 0 }).session;
    registry.add('socket-a', a);
    registry.add('socket-b', b);
    expect(registry.size).toBe(2);
    expect(registry.remove('socket-a', 'disconnected')).toBe(true);
    expect(a.isClosed).toBe(true);
    b.close();
    expect(registry.size).toBe(0);
    expect(registry.remove('socket-b')).toBe(false);
  });
});

describe('preemptive generation', () => {
  const question = { text: 'what is the weather', startMs: 500 };

  it('starts the LLM at the final transcript and wins the endpoint delay back', () => {
    const run = (enabled: boolean) => {
      const c = virtualConversation({
        utterances: [question],
        config: { preemptiveGeneration: { enabled } },
      });
      c.run();
      return c;
    };
    const normal = run(false).ofType('metrics')[0]!.metrics;
    const eager = run(true);
    const metrics = eager.ofType('metrics')[0]!.metrics;
    expect(eager.llm.requests).toHaveLength(1);
    expect(metrics.preemptiveWasted).toBe(0);
    expect((normal.serverTtfaMs ?? 0) - (metrics.serverTtfaMs ?? 0)).toBe(200);
    // Nothing was spoken before the turn was confirmed.
    expect(eager.ofType('speech-start')[0]!.at).toBe(eager.ofType('user-turn')[0]!.at);
  });

  it('throws away an early start whose text the user then changed, and counts it', () => {
    const c = virtualConversation({
      utterances: [question, { text: 'in paris', startMs: 1850 }],
      config: { preemptiveGeneration: { enabled: true } },
    });
    c.run();
    expect(c.llm.requests).toHaveLength(2);
    expect(c.llm.streams.open + c.tts.streams.open).toBe(0);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['what is the weather in paris']);
    expect(c.ofType('metrics')[0]!.metrics.preemptiveWasted).toBe(1);
    expect(c.ofType('speech-start')).toHaveLength(1);
  });
});
