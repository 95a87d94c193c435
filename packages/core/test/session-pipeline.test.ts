import { filter, map, Observable, type OperatorFunction, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../src/errors/families';
import type { Sentence } from '../src/frames/agent';
import type { BargeInSignal } from '../src/operators/barge-in';
import type { TurnSignal } from '../src/operators/detect-end-of-turn';
import { wordsOf } from '../src/operators/words';
import { defaultStages } from '../src/session/pipeline/default-stages';
import type { VoicePipeline } from '../src/session/pipeline/stages';
import { ResourceCounter } from '../src/testing/resource-counter';
import { virtualConversation } from '../src/testing/virtual-conversation';

const question = { text: 'what is the weather', startMs: 500 };
const later = { text: 'and tomorrow', startMs: 6000 };

/** A toy offline translation, sentence by sentence. */
const spanish: Record<string, string> = {
  'Sure.': 'Claro.',
  'It is sunny and warm today.': 'Hace sol y calor hoy.',
};
const translate: OperatorFunction<Sentence, Sentence> = map((s) => {
  const translated = spanish[s.displayText.trim()] ?? s.displayText;
  return { ...s, text: translated, displayText: translated };
});

describe('custom pipeline: the sentences stage', () => {
  it('speaks, shows and stores a translated reply', () => {
    const c = virtualConversation({ utterances: [question], config: { pipeline: { sentences: translate } } });
    c.run();
    expect(c.tts.texts).toEqual(['Claro.', 'Hace sol y calor hoy.']);
    expect(c.ofType('agent-text').map((e) => e.text)).toEqual(['Claro.', 'Hace sol y calor hoy.']);
    expect(c.assistantTexts()).toEqual(['Claro. Hace sol y calor hoy.']);
    expect(c.ofType('speech-end')[0]).toMatchObject({
      interrupted: false,
      text: 'Claro. Hace sol y calor hoy.',
    });
  });

  it('keeps the spoken text and the shown text apart (a pronunciation rewrite)', () => {
    const sayItRight = map((s: Sentence) => ({ ...s, text: s.text.replace('sunny', 'sun-ny') }));
    const c = virtualConversation({
      utterances: [question],
      config: { pipeline: { sentences: sayItRight } },
    });
    c.run();
    expect(c.tts.texts).toEqual(['Sure.', 'It is sun-ny and warm today.']);
    expect(c.ofType('agent-text').map((e) => e.text.trim())).toEqual([
      'Sure.',
      'It is sunny and warm today.',
    ]);
    expect(c.assistantTexts()).toEqual(['Sure. It is sunny and warm today.']);
  });

  it('stores only the heard part of an interrupted translated reply', () => {
    const story =
      'One two three four five six. Seven eight nine ten eleven twelve. Thirteen fourteen fifteen.';
    const shout = map((s: Sentence) => ({
      ...s,
      text: s.text.toUpperCase(),
      displayText: s.displayText.toUpperCase(),
    }));
    const c = virtualConversation({
      utterances: [question, { text: 'stop please', startMs: 3000 }],
      llm: { reply: (_, call) => (call === 0 ? story : 'OK.') },
      config: { pipeline: { sentences: shout } },
    });
    c.run();
    const cut = c.ofType('speech-end')[0]!;
    expect(cut.interrupted).toBe(true);
    expect(wordsOf(cut.heardText).length).toBeGreaterThan(0);
    expect(story.toUpperCase().startsWith(cut.heardText)).toBe(true);
    expect(cut.heardText.length).toBeLessThan(story.length);
    expect(c.session.history[2]).toEqual({ role: 'assistant', content: cut.heardText, interrupted: true });
  });

  it('can drop a sentence: it is neither spoken, shown nor stored', () => {
    const noSure = filter((s: Sentence) => s.displayText.trim() !== 'Sure.');
    const c = virtualConversation({ utterances: [question], config: { pipeline: { sentences: noSure } } });
    c.run();
    expect(c.tts.texts).toEqual(['It is sunny and warm today.']);
    expect(c.ofType('agent-text').map((e) => [e.text, e.index])).toEqual([
      ['It is sunny and warm today.', 0],
    ]);
    expect(c.assistantTexts()).toEqual(['It is sunny and warm today.']);
  });
});

describe('custom pipeline: stages that fail', () => {
  /** Throws the first time `when` holds, then passes everything. */
  const throwOnce = <T>(when: (value: T) => boolean) => {
    let hasThrown = false;
    return map((value: T) => {
      if (!hasThrown && when(value)) {
        hasThrown = true;
        throw new Error('stage broke');
      }
      return value;
    });
  };
  // Made once per case (not per stage start): a restarted stage must not throw again.
  const finalFails = throwOnce((signal: TurnSignal) => signal.event.type === 'final');
  const wordsFail = throwOnce((signal: BargeInSignal) => signal.type === 'transcript');
  const cases: [keyof VoicePipeline, VoicePipeline][] = [
    ['audioIn', { audioIn: throwOnce((frame) => frame.startMs >= 600) }],
    ['transcripts', { transcripts: throwOnce((event) => event.type === 'final') }],
    ['endOfTurn', { endOfTurn: (s$, context) => defaultStages.endOfTurn(s$.pipe(finalFails), context) }],
    ['bargeIn', { bargeIn: (s$, context) => defaultStages.bargeIn(s$.pipe(wordsFail), context) }],
    ['sentences', { sentences: throwOnce(() => true) }],
    ['speech', { speech: (s$, context) => defaultStages.speech(s$, context).pipe(throwOnce(() => true)) }],
    ['audioOut', { audioOut: throwOnce(() => true) }],
  ];

  it.each(cases)(
    'a failing %s stage is reported by name and the session answers the next turn',
    (stage, pipeline) => {
      const c = virtualConversation({ utterances: [question, later], micMs: 12_000, config: { pipeline } });
      c.run();
      const errors = c.ofType('error').map((e) => e.error);
      expect(errors.map((e) => [e.code, e.source])).toContainEqual([
        'pipeline_stage_failed',
        `pipeline:${stage}`,
      ]);
      expect(errors.find((e) => e.source === `pipeline:${stage}`)!.message).toContain('stage broke');
      // The session lived on: the user's last turn was answered in full.
      const lastTurn = c.ofType('user-turn').at(-1)!;
      expect(lastTurn.text).toBe('and tomorrow');
      const lastEnd = c.ofType('speech-end').at(-1)!;
      expect(lastEnd).toMatchObject({ turnId: lastTurn.turnId, interrupted: false });
      expect(lastEnd.text).toBe('Sure. It is sunny and warm today.');
      expect(c.session.state.agent).toBe('listening');
    },
  );

  it('a reply stage that throws ends its turn with an error naming it, with the turn id', () => {
    let calls = 0;
    const c = virtualConversation({
      utterances: [question, later],
      micMs: 12_000,
      config: {
        pipeline: {
          reply: (turn) => {
            if (calls++ === 0) throw new Error('agent offline');
            return defaultStages.reply(turn);
          },
        },
      },
    });
    c.run();
    const [failure] = c.ofType('error');
    expect(failure).toMatchObject({ turnId: c.ofType('user-turn')[0]!.turnId });
    expect(failure!.error).toMatchObject({ code: 'pipeline_stage_failed', source: 'pipeline:reply' });
    expect(c.ofType('speech-end').at(-1)!.text).toBe('Sure. It is sunny and warm today.');
  });

  it('a provider error flowing through user stages stays the provider error', () => {
    const c = virtualConversation({
      utterances: [question],
      tts: { failWith: () => new ProviderUnavailableError('tts down') },
      config: {
        pipeline: {
          speech: (s$, context) => defaultStages.speech(s$.pipe(tap()), context),
          audioOut: (a$) => a$,
        },
      },
    });
    c.run();
    expect(c.ofType('error').map((e) => [e.error.code, e.error.message])).toEqual([
      ['provider_unavailable', 'tts down'],
    ]);
  });
});

describe('custom pipeline: resources and audio', () => {
  /** A stage that holds a resource while subscribed, like a translation socket would. */
  const holding =
    <T>(counter: ResourceCounter): OperatorFunction<T, T> =>
    (source) =>
      new Observable<T>((subscriber) => {
        const done = counter.track();
        const subscription = source.subscribe(subscriber);
        return () => {
          done('cancelled');
          subscription.unsubscribe();
        };
      });

  it('close() mid-speech unsubscribes every user stage and aborts its signal', () => {
    const opened = new ResourceCounter();
    const signals: AbortSignal[] = [];
    const c = virtualConversation({
      utterances: [question],
      llm: { tokensPerSecond: 5 },
      config: {
        pipeline: {
          sentences: holding(opened),
          speech: (s$, context) => {
            signals.push(context.signal);
            return defaultStages.speech(s$.pipe(holding(opened)), context);
          },
          audioOut: holding(opened),
        },
      },
    });
    c.at(2500, () => c.session.close());
    c.run();
    expect(opened.opened).toBe(3);
    expect(opened.open).toBe(0);
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    expect(c.llm.streams.open + c.tts.streams.open + c.stt.streams.open).toBe(0);
  });

  it('feeds the recognizer what audioIn emits, resampling from inputSampleRate', () => {
    const seenRates: number[] = [];
    // 48 kHz in, every third sample out: 16 kHz for the recognizer (a toy decimator).
    const decimate = map(
      (frame: { samples: Int16Array; sampleRate: number; channels: number; startMs: number }) => {
        seenRates.push(frame.sampleRate);
        return { ...frame, sampleRate: 16000, samples: frame.samples.filter((_, i) => i % 3 === 0) };
      },
    );
    const c = virtualConversation({
      micMs: 0,
      config: { inputSampleRate: 48000, pipeline: { audioIn: decimate } },
    });
    for (let i = 0; i < 10; i++)
      c.at(20 * (i + 1), () => c.session.pushAudio({ samples: new Int16Array(960), sampleRate: 48000 }));
    c.run();
    expect(c.ofType('error')).toEqual([]);
    expect(seenRates).toEqual(Array(10).fill(48000));
    expect(c.stt.framesReceived).toBe(10);
  });

  it('drops audioIn output at the wrong rate with one typed error', () => {
    const c = virtualConversation({
      micMs: 1000,
      config: { pipeline: { audioIn: map((f) => ({ ...f, sampleRate: 8000 })) } },
    });
    c.run();
    const errors = c.ofType('error').map((e) => e.error);
    expect(errors.map((e) => [e.code, e.source])).toEqual([['audio_format', 'pipeline:audioIn']]);
    expect(c.stt.framesReceived).toBe(0);
  });

  it('numbers audio of a speech stage that gives bare PCM, and attributes it to its sentence', () => {
    const c = virtualConversation({
      utterances: [question],
      config: {
        pipeline: {
          speech: (s$) =>
            s$.pipe(map((s) => ({ samples: new Int16Array(s.text.length * 160), sampleRate: 16000 }))),
        },
      },
    });
    c.run();
    const audio = c.ofType('audio').map((e) => e.audio);
    expect(audio.map((a) => [a.seq, a.sentenceIndex, a.offsetMs])).toEqual([
      [0, 0, 0],
      [1, 1, 50],
    ]);
    expect(audio.map((a) => a.durationMs)).toEqual([50, 270]);
  });
});
