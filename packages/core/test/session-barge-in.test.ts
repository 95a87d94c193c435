import { describe, expect, it } from 'vitest';
import { wordsOf } from '../src/operators/words';
import { virtualConversation } from '../src/testing/virtual-conversation';

const question = { text: 'tell me a story', startMs: 500 };
const story =
  'Once upon a time a small robot lived by the sea. Every morning it counted the waves and wrote the numbers in the sand. ' +
  'One day the tide came in early and washed every number away. The robot laughed and started counting again. ' +
  'From that day on it never wrote anything down and simply enjoyed the sound of the water.';

describe('barge-in', () => {
  it('pauses at the user onset, interrupts once the words are more than a backchannel could be, and answers the new turn', () => {
    const c = virtualConversation({
      utterances: [question, { text: 'wait what about dragons', startMs: 5000 }],
      llm: { tokensPerSecond: 10, reply: (_, call) => (call === 0 ? story : 'Dragons are rare.') },
    });
    c.run();

    const controls = c.ofType('control').map((e) => e.control);
    const firstSpeech = c.ofType('speech-start')[0]!.speechId;
    expect(controls.slice(0, 2)).toEqual([
      { type: 'pause', speechId: firstSpeech, source: 'audio_activity' },
      { type: 'interrupt', speechId: firstSpeech, source: 'audio_activity' },
    ]);
    // Onset heard at 5000 ms (the frame ending there arrives); pause at once. The first interim
    // ("wait", 300 ms later) could still be a backchannel; the second word (600 ms) commits.
    expect(
      c
        .ofType('control')
        .map((e) => e.at)
        .slice(0, 2),
    ).toEqual([5000, 5600]);

    const interruptIndex = c.events.findIndex((e) => e.type === 'control' && e.control.type === 'interrupt');
    const lateAudio = c.events
      .slice(interruptIndex)
      .filter((e) => e.type === 'audio' && e.audio.speechId === firstSpeech);
    expect(lateAudio).toHaveLength(0);
    expect(c.llm.streams.cancelled).toBe(1);
    expect(c.llm.streams.open + c.tts.streams.open).toBe(0);

    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    expect(story.startsWith(cut.heardText)).toBe(true);
    expect(wordsOf(cut.heardText).length).toBeGreaterThan(5);
    expect(cut.heardText.length).toBeLessThan(story.length / 2);

    const second = c.llm.requests[1]!.messages;
    expect(second.slice(1)).toEqual([
      { role: 'user', content: 'tell me a story' },
      { role: 'assistant', content: cut.heardText, interrupted: true },
      { role: 'user', content: 'wait what about dragons' },
    ]);
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Dragons are rare.' });
    expect(c.session.state.agent).toBe('listening');

    const metrics = c.ofType('metrics')[0]!.metrics;
    expect(metrics).toMatchObject({ interrupted: true, interruptPauseMs: 0, interruptCommitMs: 600 });
  });

  it('cuts the history at the position the listener acked', () => {
    const c = virtualConversation({ micMs: 0 });
    let speechId = '';
    c.at(0, () => {
      speechId = c.session.say('One two three four. Five six seven eight.');
    });
    // Sentence 1 = 950 ms of audio, sentence 2 = 1050 ms; 1500 ms played = 2 of its 4 words.
    c.at(1200, () => {
      c.session.playbackAck({ speechId, playedMs: 1500 });
      c.session.interrupt();
    });
    c.run();
    const cut = c.ofType('speech-end')[0]!;
    expect(cut).toMatchObject({ interrupted: true, heardText: 'One two three four. Five six' });
    expect(c.ofType('control').map((e) => e.control)).toEqual([
      { type: 'interrupt', speechId, source: 'programmatic' },
    ]);
    expect(c.session.history.at(-1)).toEqual({
      role: 'assistant',
      content: 'One two three four. Five six',
      interrupted: true,
    });
  });

  it('resumes after a false interruption and finishes the reply, later by the pause', () => {
    const run = (withNoise: boolean) => {
      const c = virtualConversation({ utterances: [question], llm: { reply: story } });
      if (withNoise) {
        c.at(4000, () => c.stt.emit({ type: 'speech-start', atMs: 4000 }));
        c.at(4200, () => c.stt.emit({ type: 'speech-end', atMs: 4200 }));
      }
      c.run();
      return c;
    };
    const quiet = run(false);
    const noisy = run(true);
    expect(noisy.ofType('control').map((e) => [e.control.type, e.at])).toEqual([
      ['pause', 4000],
      ['resume', 5500],
    ]);
    const end = noisy.ofType('speech-end')[0]!;
    expect(end.interrupted).toBe(false);
    expect(end.at - quiet.ofType('speech-end')[0]!.at).toBe(1500);
    expect(noisy.llm.requests).toHaveLength(1);
  });

  it('lets backchannels pass without interrupting or taking a turn', () => {
    const c = virtualConversation({
      utterances: [question, { text: 'yeah', startMs: 5000 }],
      llm: { reply: story },
    });
    c.run();
    expect(c.ofType('control').map((e) => e.control.type)).toEqual(['pause', 'resume']);
    expect(c.ofType('speech-end')[0]!.interrupted).toBe(false);
    expect(c.llm.requests).toHaveLength(1);
  });

  describe('stop means stop', () => {
    const stopOver = (words: string, config = {}) => {
      const c = virtualConversation({
        utterances: [question, { text: words, startMs: 5000 }],
        llm: { reply: (_, call) => (call === 0 ? story : 'Fine.') },
        config,
      });
      c.run();
      return c;
    };

    it.each(['stop', 'stop please stop', 'never mind stop talking', 'hold on'])(
      'after "%s" over its story the agent falls quiet and listens, without a reply',
      (words) => {
        const c = stopOver(words);
        expect(c.ofType('speech-end').map((e) => e.interrupted)).toEqual([true]);
        expect(c.llm.requests).toHaveLength(1);
        expect(c.session.history.at(-1)).toEqual({ role: 'user', content: words });
        expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['tell me a story', words]);
        expect(c.session.state.agent).toBe('listening');
      },
    );

    it('with stopPhrases: [] the LLM answers a stop like any turn', () => {
      const c = stopOver('stop', { interruption: { stopPhrases: [] } });
      expect(c.llm.requests).toHaveLength(2);
      expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Fine.' });
    });

    it('more than a stop is a turn to answer', () => {
      const c = stopOver('stop and tell me a joke');
      expect(c.llm.requests).toHaveLength(2);
    });

    it('a stop typed over the agent interrupts it without a reply', () => {
      const c = virtualConversation({ utterances: [question], llm: { reply: story } });
      c.at(4000, () => c.session.sendText('stop'));
      c.run();
      expect(c.ofType('control').map((e) => e.control.type)).toEqual(['interrupt']);
      expect(c.llm.requests).toHaveLength(1);
      expect(c.session.history.at(-1)).toEqual({ role: 'user', content: 'stop' });
    });

    it('a stop the recognizer heard in its interim but lost in its final still ends the speech without a reply', () => {
      const c = virtualConversation({ utterances: [question], llm: { reply: story } });
      // PocketSphinx on a short "stop": interim "stop", rescored final "op".
      c.at(3000, () => c.stt.emit({ type: 'speech-start', atMs: 3000 }));
      c.at(3200, () => c.stt.emit({ type: 'interim', transcript: { text: 'stop', isFinal: false } }));
      c.at(3350, () => c.stt.emit({ type: 'speech-end', atMs: 3350 }));
      c.at(3500, () => c.stt.emit({ type: 'final', transcript: { text: 'op', isFinal: true } }));
      c.run();
      expect(c.ofType('control').map((e) => e.control.type)).toEqual(['pause', 'interrupt']);
      expect(c.ofType('speech-end').map((e) => e.interrupted)).toEqual([true]);
      expect(c.llm.requests).toHaveLength(1);
      expect(c.session.state.agent).toBe('listening');
    });

    it('a short final whose alternative is a stop ends the speech without a reply', () => {
      const c = virtualConversation({ utterances: [question], llm: { reply: story } });
      // PocketSphinx on a short "wait": the open model's "wear it", the phrase reading's "wait".
      c.at(3000, () => c.stt.emit({ type: 'speech-start', atMs: 3000 }));
      c.at(3200, () => c.stt.emit({ type: 'interim', transcript: { text: 'where', isFinal: false } }));
      c.at(3350, () => c.stt.emit({ type: 'speech-end', atMs: 3350 }));
      c.at(3500, () =>
        c.stt.emit({ type: 'final', transcript: { text: 'wear it', isFinal: true, alternatives: ['wait'] } }),
      );
      c.run();
      expect(c.ofType('speech-end').map((e) => e.interrupted)).toEqual([true]);
      expect(c.llm.requests).toHaveLength(1);
      expect(c.session.history.at(-1)).toEqual({ role: 'user', content: 'wear it' });
    });

    it('a stop heard in an interim, then more words, is a turn to answer', () => {
      const c = virtualConversation({
        utterances: [question],
        llm: { reply: (_, call) => (call === 0 ? story : 'Ten past two.') },
      });
      c.at(3000, () => c.stt.emit({ type: 'speech-start', atMs: 3000 }));
      c.at(3200, () => c.stt.emit({ type: 'interim', transcript: { text: 'stop', isFinal: false } }));
      c.at(4300, () => c.stt.emit({ type: 'speech-end', atMs: 4300 }));
      c.at(4400, () =>
        c.stt.emit({ type: 'final', transcript: { text: 'stop what time is it', isFinal: true } }),
      );
      c.run();
      expect(c.llm.requests).toHaveLength(2);
      expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Ten past two.' });
    });

    it('"stop" said to a listening agent (nothing to interrupt) is answered', () => {
      const c = virtualConversation({
        utterances: [{ text: 'stop', startMs: 500 }],
        llm: { reply: 'Stopped what?' },
      });
      c.run();
      expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Stopped what?' });
    });
  });

  it('a backchannel said over the agent is no turn, even when the speech ended before its final', () => {
    const c = virtualConversation({
      utterances: [{ text: 'tell me a story', startMs: 500 }],
      llm: { reply: (_, call) => (call === 0 ? 'Here you are. That is all.' : 'Sorry?') },
      config: { turnDetection: { mode: 'vad' } },
    });
    // "right" over the last words: it pauses them, its final resumes them, and they end before
    // the user's turn does (the voice's end, then the endpoint delay).
    c.at(3800, () => c.stt.emit({ type: 'speech-start', atMs: 3800 }));
    c.at(4150, () => c.stt.emit({ type: 'final', transcript: { text: 'right', isFinal: true } }));
    c.at(4500, () => c.stt.emit({ type: 'speech-end', atMs: 4500 }));
    c.run();
    const agentEnd = c.ofType('speech-end')[0]!;
    expect(agentEnd.interrupted).toBe(false);
    expect(agentEnd.at).toBeLessThan(4500);
    expect(c.llm.requests).toHaveLength(1);
  });

  it('a backchannel a rough recognizer first hears as another word pauses, resumes, and never becomes a turn', () => {
    const c = virtualConversation({ utterances: [question], llm: { reply: story } });
    // "mhm" two seconds into the story: its interim comes out as "him", its final 280 ms later.
    c.at(3000, () => c.stt.emit({ type: 'speech-start', atMs: 3000 }));
    c.at(3160, () => c.stt.emit({ type: 'interim', transcript: { text: 'him', isFinal: false } }));
    c.at(3300, () => c.stt.emit({ type: 'speech-end', atMs: 3300 }));
    c.at(3440, () => c.stt.emit({ type: 'final', transcript: { text: 'mhm', isFinal: true } }));
    c.run();
    expect(c.ofType('control').map((e) => [e.control.type, e.at])).toEqual([
      ['pause', 3000],
      ['resume', 3440],
    ]);
    expect(c.ofType('speech-end').map((e) => e.interrupted)).toEqual([false]);
    expect(c.ofType('user-turn').map((e) => e.text)).toEqual(['tell me a story']);
    expect(c.llm.requests).toHaveLength(1);
  });

  it('never interrupts a speech said with allowInterruptions: false, and answers the user after it', () => {
    const c = virtualConversation({
      utterances: [{ text: 'what time is it', startMs: 1000 }],
      micMs: 20_000,
      llm: { reply: 'Noon.' },
    });
    c.at(0, () =>
      c.session.say('This call is recorded for quality purposes. Please hold on.', {
        allowInterruptions: false,
      }),
    );
    c.run();
    expect(c.ofType('control')).toHaveLength(0);
    const ends = c.ofType('speech-end');
    expect(ends.map((e) => e.interrupted)).toEqual([false, false]);
    expect(c.llm.requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'what time is it' });
    expect(c.ofType('user-turn')[0]!.at).toBeGreaterThanOrEqual(ends[0]!.at);
  });

  it('can switch interruptions off for a stretch and back on', () => {
    const c = virtualConversation({
      utterances: [
        question,
        { text: 'hold on a second', startMs: 4000 },
        { text: 'what about cats please', startMs: 9000 },
      ],
      micMs: 30_000,
      llm: { reply: (_, call) => (call === 0 ? `${story} ${story}` : 'Sure.') },
    });
    c.at(3000, () => c.session.setInterruptionsEnabled(false));
    c.at(8000, () => c.session.setInterruptionsEnabled(true));
    c.run();
    const interrupts = c.ofType('control').filter((e) => e.control.type === 'interrupt');
    expect(interrupts.map((e) => e.at)).toEqual([9600]);
    // What the user said while barge-in was off is context for the turn that interrupted.
    expect(c.llm.requests[1]!.messages.slice(-3)).toMatchObject([
      { role: 'user', content: 'hold on a second' },
      { role: 'assistant', interrupted: true },
      { role: 'user', content: 'what about cats please' },
    ]);
  });

  it('interrupts a thinking agent before any audio and cancels the LLM request', () => {
    const c = virtualConversation({
      utterances: [question, { text: 'actually never mind', startMs: 2100 }],
      llm: { ttftMs: 2000, reply: (_, call) => (call === 0 ? story : 'Alright.') },
    });
    c.run();
    const first = c.ofType('speech-end')[0]!;
    expect(first).toMatchObject({ interrupted: true, heardText: '' });
    expect(c.llm.streams.cancelled).toBe(1);
    expect(c.session.history.filter((m) => m.role === 'assistant')).toEqual([
      { role: 'assistant', content: 'Alright.' },
    ]);
  });
});
