import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../../errors/families';
import { ChainHealth } from './chain-health';
import { type FallbackOptions, resolveFallbackOptions } from './fallback-options';
import { firstOutputFallback } from './first-output-fallback';

type Member = { readonly name: string; readonly output$: Observable<string> };
const failure = new ProviderUnavailableError('503', { source: 'test:a' });

/** A chain of members `a`, `b` whose requests are the given marbles, on the test scheduler's clock. */
function run(
  marbles: { a: string; b: string; expected: string; subsA: string; subsB: string | string[] },
  options: Omit<FallbackOptions<Member>, 'scheduler'> = {},
) {
  const testScheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
  testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
    const a = cold(marbles.a, { x: 'a1', y: 'a2' }, failure);
    const b = cold(marbles.b, { x: 'b1', y: 'b2' });
    const members: Member[] = [
      { name: 'a', output$: a },
      { name: 'b', output$: b },
    ];
    const health = new ChainHealth(
      'llm',
      members,
      resolveFallbackOptions('llm', members, {
        probe: { initialDelayMs: 1e6 },
        ...options,
        scheduler: testScheduler,
      }),
      (member) => member.output$,
    );
    expectObservable(firstOutputFallback(health, (member) => member.output$)).toBe(
      marbles.expected,
      { x: 'a1', y: 'a2', u: 'b1', v: 'b2' },
      failure,
    );
    expectSubscriptions(a.subscriptions).toBe(marbles.subsA);
    expectSubscriptions(b.subscriptions).toBe(marbles.subsB);
  });
}

describe('firstOutputFallback (the rule for LLM and TTS requests)', () => {
  it('moves to the next provider on a failure before the first output, at once', () => {
    run({ a: '--#', b: '-x-y|', expected: '---u-v|', subsA: '^-!', subsB: '--^---!' });
  });

  it('keeps a provider that failed after its first output: the request ends with its error, the next is never asked', () => {
    run({ a: '-x-#', b: '-x|', expected: '-x-#', subsA: '^--!', subsB: [] });
  });

  it('moves on when the first output does not come within firstOutputTimeoutMs, cancelling the silent request', () => {
    run(
      { a: '------x|', b: 'x|', expected: '---u|', subsA: '^--!', subsB: '---^!' },
      { firstOutputTimeoutMs: 3 },
    );
  });

  it('cancels the provider request when the output is unsubscribed', () => {
    const testScheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--x--y--|', { x: 'a1', y: 'a2' });
      const members = [{ name: 'a', output$: a }];
      const health = new ChainHealth(
        'tts',
        members,
        resolveFallbackOptions('tts', members, { scheduler: testScheduler }),
        (member) => member.output$,
      );
      expectObservable(
        firstOutputFallback(health, (member) => member.output$),
        '^---!',
      ).toBe('--x-', {
        x: 'a1',
      });
      expectSubscriptions(a.subscriptions).toBe('^---!');
    });
  });
});
