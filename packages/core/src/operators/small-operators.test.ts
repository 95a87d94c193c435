import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Sentence } from '../frames/agent';
import type { LlmEvent } from '../providers/llm';
import { FakeTts } from '../testing/fake-tts';
import { dropInterrupted } from './drop-interrupted';
import { synthesizeSentences } from './synthesize-sentences';
import { toTokens } from './to-tokens';
import { isBackchannel } from './words';

const scheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));

describe('dropInterrupted', () => {
  it('drops items of a speech after its interrupt, keeps the others', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const items = { a: { turnId: 't', speechId: 'a' }, b: { turnId: 't', speechId: 'b' } };
      const interrupts = hot('-----a-----', { a: 'a' });
      expectObservable(hot('-a-a-b-a-b-|', items).pipe(dropInterrupted(interrupts))).toBe(
        '-a-a-b---b-|',
        items,
      );
    });
  });
});

describe('toTokens', () => {
  it('stamps token text with the speech identity and a running index, skipping non-text', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const events: Record<string, LlmEvent> = {
        a: { type: 'token', text: 'Hel' },
        b: { type: 'token', text: 'lo' },
        e: { type: 'token', text: '' },
        c: { type: 'tool-call', call: { id: '1', name: 'x', arguments: '{}' } },
        d: { type: 'done', finishReason: 'stop' },
      };
      const ref = { turnId: 'u1', speechId: 's1' };
      expectObservable(cold('-a-e-b-c-d|', events).pipe(toTokens(ref))).toBe('-0---1----|', {
        0: { ...ref, text: 'Hel', index: 0 },
        1: { ...ref, text: 'lo', index: 1 },
      });
    });
  });
});

describe('synthesizeSentences', () => {
  const sentence = (index: number, text: string, speechId = 's1'): Sentence => ({
    turnId: 't1',
    speechId,
    text,
    displayText: text,
    index,
  });

  it('synthesizes sentences in order and numbers the audio of each speech', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const tts = new FakeTts({ ttfbMs: 1, msPerChar: 10, chunkMs: 50, realtimeFactor: 0.02 });
      const audio$ = cold('a--b---|', { a: sentence(0, 'Hello there.'), b: sentence(1, 'Bye.') }).pipe(
        synthesizeSentences(tts),
      );
      const summary = (seq: number, sentenceIndex: number, offsetMs: number, durationMs: number) =>
        expect.objectContaining({
          seq,
          sentenceIndex,
          offsetMs,
          durationMs,
          sampleRate: 16000,
          speechId: 's1',
        });
      expectObservable(audio$).toBe('-abcd--|', {
        a: summary(0, 0, 0, 50),
        b: summary(1, 0, 50, 50),
        c: summary(2, 0, 100, 20),
        d: summary(3, 1, 120, 50),
      });
    });
  });

  it('cancels the running synthesis when unsubscribed', () => {
    const tts = new FakeTts({ ttfbMs: 100 });
    const subscription = of(sentence(0, 'Hello.')).pipe(synthesizeSentences(tts)).subscribe();
    expect(tts.streams.open).toBe(1);
    subscription.unsubscribe();
    expect(tts.streams.open).toBe(0);
    expect(tts.streams.cancelled).toBe(1);
  });
});

describe('isBackchannel', () => {
  const list = ['yeah', 'mm-hmm', 'i see', 'ja', 'genau', 'はい'];
  it.each(['yeah', 'Yeah!', 'mm-hmm, yeah', 'I see.', 'Ja, genau.', 'はい'])(
    'treats "%s" as a backchannel',
    (text) => {
      expect(isBackchannel(text, list)).toBe(true);
    },
  );
  it.each(['yeah but wait', 'stop', '', 'I'])('does not treat "%s" as a backchannel', (text) => {
    expect(isBackchannel(text, list)).toBe(false);
  });
});
