import { defer, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../src/errors/index';
import type { LlmProvider } from '../src/providers/llm';
import type { VadProvider } from '../src/providers/vad';
import { type VirtualConversation, virtualConversation } from '../src/testing/virtual-conversation';
import { FlakyStt } from './flaky-stt';

/** An LLM that refuses every request while `isDown`, like an API that cannot be reached. */
function outageLlm(isDown: () => boolean, inner: () => LlmProvider): LlmProvider {
  return {
    specificationVersion: 'v1',
    name: 'remote',
    generate: (request) =>
      defer(() =>
        isDown()
          ? throwError(() => new Error('connect ECONNREFUSED 10.0.0.1:443'))
          : inner().generate(request),
      ),
  };
}

describe('provider outages (virtual time)', () => {
  it('LLM down: every turn ends with a typed error naming the LLM, and the first turn after it comes back is answered', () => {
    let isDown = true;
    let c: VirtualConversation;
    const llm = outageLlm(
      () => isDown,
      () => c.llm,
    );
    c = virtualConversation({
      utterances: [
        { text: 'what is the weather', startMs: 500 },
        { text: 'are you there', startMs: 4000 },
        { text: 'hello again', startMs: 8000 },
      ],
      llm: { reply: 'Back online.' },
      config: { llm },
    });
    c.at(7000, () => (isDown = false));
    c.run();

    const turns = c.ofType('user-turn');
    expect(turns.map((t) => t.text)).toEqual(['what is the weather', 'are you there', 'hello again']);
    const errors = c.ofType('error');
    expect(errors.map((e) => [e.turnId, e.error.code, e.error.source])).toEqual([
      [turns[0]!.turnId, 'provider_unavailable', 'llm:remote'],
      [turns[1]!.turnId, 'provider_unavailable', 'llm:remote'],
    ]);
    expect(c.ofType('speech-end').at(-1)).toMatchObject({ turnId: turns[2]!.turnId, text: 'Back online.' });
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Back online.' });
    expect(c.session.state.agent).toBe('listening');
  });

  it('speaks the configured errorReply when the LLM fails, keeps it out of the history, and says nothing by default', () => {
    const apology = 'Sorry, I could not answer that.';
    const failing = { reply: [{ error: new ProviderUnavailableError('model down') }] };
    const utterances = [{ text: 'what is the weather', startMs: 500 }];
    const withApology = virtualConversation({
      utterances,
      llm: failing,
      config: { errorReply: { text: apology } },
    });
    withApology.run();
    // The chunker may give TTS the apology in pieces ("Sorry," first).
    expect(withApology.tts.texts.join(' ')).toBe(apology);
    // The failed reply ends with nothing said, then the apology is spoken.
    expect(withApology.ofType('speech-end').map((e) => e.text)).toEqual(['', apology]);
    expect(withApology.ofType('audio').length).toBeGreaterThan(0);
    expect(withApology.session.history.map((m) => m.content)).not.toContain(apology);
    expect(withApology.ofType('error')).toHaveLength(1);
    expect(withApology.session.state.agent).toBe('listening');

    const silent = virtualConversation({ utterances, llm: failing });
    silent.run();
    expect(silent.tts.texts).toEqual([]);
    expect(silent.ofType('error')).toHaveLength(1);
  });

  it('speaks the errorReply after the part of the reply already sent when the LLM fails mid-answer', () => {
    const apology = 'Sorry, I lost my train of thought.';
    const c = virtualConversation({
      utterances: [{ text: 'tell me a story', startMs: 500 }],
      llm: {
        reply: [
          { text: 'Once upon a time, there was a fox.' },
          { error: new ProviderUnavailableError('dropped') },
        ],
      },
      config: { errorReply: { text: apology } },
    });
    c.run();
    const ends = c.ofType('speech-end');
    expect(ends).toHaveLength(2);
    expect(ends[0]!.text).toMatch(/^Once upon a time/);
    expect(ends[1]!.text).toBe(apology);
    const starts = c.ofType('speech-start');
    expect(c.events.indexOf(ends[0]!)).toBeLessThan(c.events.indexOf(starts[1]!));
  });

  it('TTS down: the text is still shown, each turn reports a typed error and no apology is attempted; audio returns with the provider', () => {
    let isTtsDown = true;
    const c = virtualConversation({
      utterances: [
        { text: 'what is the weather', startMs: 500 },
        { text: 'hello again', startMs: 6000 },
      ],
      llm: { reply: 'It is sunny.' },
      tts: { failWith: () => (isTtsDown ? new ProviderUnavailableError('tts down') : undefined) },
      config: { errorReply: { text: 'Sorry.' } },
    });
    c.at(5000, () => (isTtsDown = false));
    c.run();
    const turns = c.ofType('user-turn');
    expect(c.ofType('error').map((e) => [e.turnId, e.error.code])).toEqual([
      [turns[0]!.turnId, 'provider_unavailable'],
    ]);
    expect(c.ofType('agent-text').map((e) => e.text)).toEqual(['It is sunny.', 'It is sunny.']);
    expect(c.tts.texts).not.toContain('Sorry.');
    const audioTurns = new Set(c.ofType('audio').map((e) => e.audio.turnId));
    expect([...audioTurns]).toEqual([turns[1]!.turnId]);
  });

  for (const failsWhileOpening of [false, true]) {
    it(`STT down (${failsWhileOpening ? 'failing while opening' : 'failing on the first frame'}): retries on audio with doubling waits, then hears the user once it is back`, () => {
      const stt = new FlakyStt();
      stt.isDown = true;
      stt.failsWhileOpening = failsWhileOpening;
      const c = virtualConversation({
        utterances: [{ text: 'are you back', startMs: 20_000 }],
        micMs: 23_000,
        config: { stt },
      });
      stt.inner = c.stt;
      const opens: number[] = [];
      const opened = stt.streams.track.bind(stt.streams);
      stt.streams.track = () => {
        opens.push(c.scheduler.now());
        return opened();
      };
      c.at(14_000, () => (stt.isDown = false));
      c.run();

      const losses = c.ofType('recognition-lost');
      expect(losses.map((l) => [l.reason, l.consecutiveFailures, l.retryInMs])).toEqual([
        ['failed', 1, 500],
        ['failed', 2, 1000],
        ['failed', 3, 2000],
        ['failed', 4, 4000],
        ['failed', 5, 8000],
      ]);
      expect(c.ofType('error').map((e) => [e.error.code, e.error.source])).toEqual(
        losses.map(() => ['provider_unavailable', 'stt:flaky']),
      );
      // Each new attempt waited at least the announced delay: six streams in 23 s, not one per frame.
      for (const [i, loss] of losses.entries())
        expect(opens[i + 1]! - opens[i]!).toBeGreaterThanOrEqual(loss.retryInMs);
      expect(opens).toHaveLength(6);
      expect(c.ofType('user-turn').map((t) => t.text)).toEqual(['are you back']);
      c.session.close();
      expect(stt.streams.open + c.stt.streams.open).toBe(0);
    });
  }

  it('STT that fails after an interim on every stream: interims do not reset the waits, which keep doubling', () => {
    const stt = new FlakyStt();
    stt.isDown = true;
    stt.interimBeforeFailing = 'are';
    const c = virtualConversation({
      utterances: [{ text: 'are you back', startMs: 20_000 }],
      micMs: 23_000,
      config: { stt },
    });
    stt.inner = c.stt;
    c.at(14_000, () => (stt.isDown = false));
    c.run();
    expect(c.ofType('recognition-lost').map((l) => [l.consecutiveFailures, l.retryInMs])).toEqual([
      [1, 500],
      [2, 1000],
      [3, 2000],
      [4, 4000],
      [5, 8000],
    ]);
    expect(c.ofType('user-turn').map((t) => t.text)).toEqual(['are you back']);
    c.session.close();
    expect(stt.streams.open + c.stt.streams.open).toBe(0);
  });

  it('reopens a VAD stream that failed, names the VAD in the error, and still hears the next turn', () => {
    let c: VirtualConversation;
    let hasFailed = false;
    const vad: VadProvider = {
      specificationVersion: 'v1',
      name: 'flaky-vad',
      sampleRate: 16000,
      detect: (audio$) =>
        defer(() => {
          if (hasFailed) return c.vad!.detect(audio$);
          hasFailed = true;
          return throwError(() => new Error('vad model crashed'));
        }),
    };
    c = virtualConversation({
      withVad: true,
      utterances: [{ text: 'is the detector back', startMs: 2000 }],
      config: { vad, turnDetection: { mode: 'vad' } },
    });
    c.run();
    expect(c.ofType('error').map((e) => [e.error.code, e.error.source])).toEqual([
      ['provider_unavailable', 'vad:flaky-vad'],
    ]);
    expect(c.ofType('recognition-lost').map((l) => [l.provider, l.reason, l.retryInMs])).toEqual([
      ['vad', 'failed', 500],
    ]);
    expect(c.ofType('user-turn').map((t) => t.text)).toEqual(['is the detector back']);
  });

  it('reopens a stream the recognizer ended at once, without an error, and the final it already gave still ends the turn', () => {
    const stt = new FlakyStt();
    const c = virtualConversation({
      utterances: [
        { text: 'what is the weather', startMs: 500 },
        { text: 'and tomorrow', startMs: 6000 },
      ],
      config: { stt },
    });
    stt.inner = c.stt;
    let hasEnded = false;
    c.session.on('transcript', ({ transcript }) => {
      if (!transcript.isFinal || hasEnded) return;
      hasEnded = true;
      // Inside the endpoint delay: the turn is not out yet when the stream goes.
      c.at(c.scheduler.now() + 50, () => stt.endStreams());
    });
    c.run();
    expect(c.ofType('recognition-lost').map((l) => [l.provider, l.reason, l.retryInMs])).toEqual([
      ['stt', 'ended', 0],
    ]);
    expect(c.ofType('error')).toEqual([]);
    expect(c.ofType('user-turn').map((t) => t.text)).toEqual(['what is the weather', 'and tomorrow']);
    expect(stt.streams.opened).toBe(2);
  });
});
