import { describe, expect, it } from 'vitest';
import { ConfigError, ProviderUnavailableError, VoxError } from '../src/errors/index';
import { createVoiceSession } from '../src/session/create-voice-session';
import { FakeStt } from '../src/testing/fake-stt';
import { FakeTts } from '../src/testing/fake-tts';
import { virtualConversation } from '../src/testing/virtual-conversation';

const weather = { text: 'what is the weather', startMs: 500 };
const longReply =
  'Sure, it is sunny today. Expect a high of twenty degrees and a light breeze from the west. ' +
  'Tomorrow brings clouds in the morning and some rain in the afternoon, so take an umbrella.';

describe('a voice turn', () => {
  it('answers a spoken question: states, history, audio and latency breakdown', () => {
    const c = virtualConversation({ utterances: [weather], llm: { reply: longReply } });
    c.run();

    expect(c.phases()).toEqual(['user-speaking', 'listening', 'processing', 'agent-speaking', 'listening']);
    expect(c.llm.requests).toHaveLength(1);
    expect(c.llm.requests[0]!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(c.llm.requests[0]!.messages[1]).toEqual({ role: 'user', content: 'what is the weather' });

    const [turn] = c.ofType('user-turn');
    const audio = c.ofType('audio').map((e) => e.audio);
    expect(audio.length).toBeGreaterThan(10);
    expect(new Set(audio.map((a) => a.speechId)).size).toBe(1);
    expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
    expect(audio.every((a) => a.turnId === turn!.turnId && a.sampleRate === 16000)).toBe(true);

    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: longReply });
    const [speechEnd] = c.ofType('speech-end');
    expect(speechEnd).toMatchObject({ interrupted: false, text: longReply, heardText: longReply });

    const { metrics } = c.ofType('metrics')[0]!;
    // Speech ends at 1700 ms of audio (heard at 1680 ms, when that frame arrives); the final
    // comes 100 ms later, the turn 200 ms after that (minEndpointDelayMs).
    expect(metrics).toMatchObject({
      endOfUtteranceDelayMs: 300,
      sttFinalDelayMs: 100,
      llmTtftMs: 300,
      ttsTtfbMs: 150,
      interrupted: false,
      preemptiveWasted: 0,
    });
    const aggregation = metrics.textAggregationMs ?? Number.NaN;
    expect(metrics.serverTtfaMs).toBe(300 + 300 + aggregation + 150);
  });

  it('starts TTS on the first sentence while the LLM is still writing', () => {
    const c = virtualConversation({ utterances: [weather], llm: { reply: longReply } });
    let llmOpenAtFirstTts: number | undefined;
    c.session.on('agent-text', ({ index }) => {
      if (index === 0) llmOpenAtFirstTts = c.llm.streams.open;
    });
    c.run();
    expect(c.tts.texts[0]).toBe('Sure,');
    expect(llmOpenAtFirstTts).toBe(1);
    expect(c.ofType('agent-text').length).toBeGreaterThan(2);
  });

  it('returns to listening with a typed error when the LLM fails, and answers the next turn', () => {
    const c = virtualConversation({
      utterances: [weather, { text: 'hello again', startMs: 4000 }],
      llm: {
        reply: (_, call) => (call === 0 ? [{ error: new ProviderUnavailableError('model down') }] : 'Hi!'),
      },
    });
    c.run();
    const [error] = c.ofType('error');
    expect(VoxError.isInstance(error!.error)).toBe(true);
    expect(error!.error.code).toBe('provider_unavailable');
    expect(error!.turnId).toBe(c.ofType('user-turn')[0]!.turnId);
    expect(c.phases().slice(0, 4)).toEqual(['user-speaking', 'listening', 'processing', 'listening']);
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Hi!' });
    expect(c.session.state.agent).toBe('listening');
  });

  it('keeps the audio already sent when TTS fails mid-reply, reports the error and recovers', () => {
    const c = virtualConversation({
      utterances: [weather],
      llm: { reply: longReply },
      tts: {
        failWith: (text) =>
          text.startsWith('Tomorrow') ? new ProviderUnavailableError('tts down') : undefined,
      },
    });
    c.run();
    expect(c.ofType('error').map((e) => e.error.code)).toEqual(['provider_unavailable']);
    expect(c.ofType('audio').length).toBeGreaterThan(0);
    expect(c.session.state.agent).toBe('listening');
    expect(c.llm.streams.open + c.tts.streams.open).toBe(0);
  });

  it('reports a recognizer failure, then opens a new recognition stream on later audio', () => {
    const c = virtualConversation({ utterances: [{ text: 'are you there', startMs: 3000 }] });
    c.at(100, () => c.stt.fail(new ProviderUnavailableError('stt dropped')));
    c.run();
    expect(c.ofType('error').map((e) => e.error.code)).toEqual(['provider_unavailable']);
    expect(c.stt.streams.opened).toBe(2);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['are you there']);
  });

  it('rejects bad audio with a typed error and keeps what was accepted', () => {
    const c = virtualConversation({ utterances: [weather] });
    c.at(600, () => c.session.pushAudio({ samples: new Int16Array(320), sampleRate: 44100 }));
    c.at(700, () => c.session.pushAudio({ samples: [1, 2, 3] as unknown as Int16Array, sampleRate: 16000 }));
    c.run();
    expect(c.ofType('error').map((e) => e.error.code)).toEqual(['audio_format', 'audio_format']);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['what is the weather']);
  });

  it('rejects an invalid configuration with every problem listed', () => {
    let error: unknown;
    try {
      createVoiceSession({
        stt: new FakeStt(),
        llm: {} as never,
        tts: new FakeTts(),
        turnDetection: { minEndpointDelayMs: -5 },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.join('\n')).toMatch(/llm/);
    expect((error as ConfigError).issues.join('\n')).toMatch(/minEndpointDelayMs/);
  });

  it('answers typed text like a spoken turn', () => {
    const c = virtualConversation({ micMs: 0, llm: { reply: 'Typed answer.' } });
    c.at(10, () => c.session.sendText('  hello by keyboard '));
    c.run();
    expect(c.llm.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'hello by keyboard' });
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Typed answer.' });
  });

  it("counts the detector's silence wait in the end-of-utterance delay", () => {
    const c = virtualConversation({
      withVad: true,
      micMs: 5000,
      llm: { reply: 'Hi.' },
      config: { turnDetection: { mode: 'vad', minEndpointDelayMs: 100 } },
    });
    c.at(1000, () => c.vad!.emit({ type: 'speech-start', atMs: 980, probability: 0.9 }));
    c.at(1500, () => c.stt.emit({ type: 'final', transcript: { text: 'hello there', isFinal: true } }));
    // The voice stopped at 1600 ms of audio; the detector says so after 400 ms of silence.
    c.at(2000, () => c.vad!.emit({ type: 'speech-end', atMs: 1600, probability: 0.1 }));
    c.run();
    expect(c.ofType('metrics')[0]!.metrics).toMatchObject({ endOfUtteranceDelayMs: 500, llmTtftMs: 300 });
  });

  it('ends a reply early when the listener reports it finished playing', () => {
    const c = virtualConversation({ micMs: 0, llm: { reply: 'Short.' } });
    c.at(10, () => c.session.sendText('hi'));
    c.session.on('speech-start', ({ speechId }) =>
      c.at(c.scheduler.now() + 600, () => c.session.playbackFinished(speechId)),
    );
    c.run();
    const end = c.ofType('speech-end')[0]!;
    // 10 ms + 300 ms TTFT + ≈ 150 ms TTS: the ack at 610 ms ends it before the timer would.
    expect(end.at).toBe(610);
  });

  it('measures voice-to-voice latency from the first-sample-played ack', () => {
    const c = virtualConversation({ utterances: [weather], llm: { reply: 'Sunny.' } });
    c.session.on('audio', ({ audio }) => {
      if (audio.seq === 0) c.at(c.scheduler.now() + 80, () => c.session.playbackStarted(audio.speechId));
    });
    c.run();
    const { metrics } = c.ofType('metrics')[0]!;
    expect(metrics.voiceToVoiceMs).toBe((metrics.serverTtfaMs ?? 0) + 80);
  });
});
