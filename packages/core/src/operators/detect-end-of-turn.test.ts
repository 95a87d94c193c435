import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { detectEndOfTurn, type TurnSignal } from './detect-end-of-turn';

const stt = (event: TurnSignal['event'] & { type: string }): TurnSignal =>
  ({ source: 'stt', event }) as TurnSignal;
const signals: Record<string, TurnSignal> = {
  s: stt({ type: 'speech-start', atMs: 0 }),
  i: stt({ type: 'interim', transcript: { text: 'hi', isFinal: false } }),
  f: stt({ type: 'final', transcript: { text: 'hi there', isFinal: true, endMs: 900 } }),
  g: stt({ type: 'final', transcript: { text: 'how are you', isFinal: true } }),
  e: stt({ type: 'speech-end', atMs: 1000 }),
  S: { source: 'vad', event: { type: 'speech-start', atMs: 0, probability: 0.9 } },
  E: { source: 'vad', event: { type: 'speech-end', atMs: 1100, probability: 0.1 } },
};

function run(input: string, expected: string, values: object, mode: 'stt' | 'vad', minEndpointDelayMs = 3) {
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ hot, expectObservable }) => {
    expectObservable(hot(input, signals).pipe(detectEndOfTurn({ mode, minEndpointDelayMs }))).toBe(
      expected,
      values,
    );
  });
}

describe('detectEndOfTurn', () => {
  it('ends the turn minEndpointDelayMs after the final in stt mode', () => {
    run('-s-i-f-e------|', '--------T-----|', { T: { text: 'hi there', speechEndMs: 1000 } }, 'stt');
  });

  it('keeps the floor for a user who speaks again within the delay', () => {
    run(
      '-s-f-s-i-g------|',
      '------------T---|',
      { T: { text: 'hi there how are you', speechEndMs: 900 } },
      'stt',
    );
  });

  it('ends the turn synchronously with a zero delay', () => {
    run('-s-f---|', '---T---|', { T: { text: 'hi there', speechEndMs: 900 } }, 'stt', 0);
  });

  it('in vad mode waits for voice activity to stop, not for the final', () => {
    run('-S-f-----E------|', '------------T---|', { T: { text: 'hi there', speechEndMs: 1100 } }, 'vad');
  });

  it('in vad mode waits for a late final after activity stopped', () => {
    run('-S-i-E------f--|', '------------T--|', { T: { text: 'hi there', speechEndMs: 1100 } }, 'vad');
  });

  it('in vad mode waits for the final of speech that ended before any interim', () => {
    run('-S-E------f--|', '----------T--|', { T: { text: 'hi there', speechEndMs: 1100 } }, 'vad');
  });

  it('in vad mode falls back to the recognizer speech-end without a VAD', () => {
    run('-s-f-e------|', '--------T---|', { T: { text: 'hi there', speechEndMs: 1000 } }, 'vad');
  });

  it('emits nothing for speech with no words', () => {
    run('-s-e------|', '----------|', {}, 'stt');
  });

  it('leaves no timer behind when unsubscribed', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ hot, expectObservable }) => {
      expectObservable(
        hot('-s-f------', signals).pipe(detectEndOfTurn({ mode: 'stt', minEndpointDelayMs: 5 })),
        '^---!',
      ).toBe('');
    });
    expect(scheduler.actions).toHaveLength(0);
  });
});
