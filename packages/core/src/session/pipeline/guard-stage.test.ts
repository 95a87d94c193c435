import { map, type Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import { guardStage } from './guard-stage';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const context = { sessionId: 's' };

describe('guardStage', () => {
  it('passes values through the stage and unsubscribes the source with it', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|');
      const double = (s$: Observable<string>) => s$.pipe(map((v) => v + v));
      expectObservable(source.pipe(guardStage('sentences', double, context)), '^---!').toBe('-x-y', {
        x: 'aa',
        y: 'bb',
      });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('names the stage in an error it raises, keeping what it threw as the cause', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const thrown = new Error('bad word list');
      const failing = (s$: Observable<string>) =>
        s$.pipe(
          map(() => {
            throw thrown;
          }),
        );
      expectObservable(cold('-a-|').pipe(guardStage('sentences', failing, context))).toBe(
        '-#',
        undefined,
        expect.objectContaining({
          code: 'pipeline_stage_failed',
          source: 'pipeline:sentences',
          cause: thrown,
        }),
      );
    });
  });

  it('lets an upstream error through unchanged: a provider is never blamed on a stage', () => {
    const upstream = new ProviderUnavailableError('llm down', { source: 'llm:fake' });
    let seen: unknown;
    throwError(() => upstream)
      .pipe(guardStage('sentences', (s$: Observable<never>) => s$, context))
      .subscribe({ error: (error) => (seen = error) });
    expect(seen).toBe(upstream);
  });

  it('keeps a typed error the stage raises as it is', () => {
    const typed = new ProviderUnavailableError('translator down', { source: 'translator' });
    let seen: VoxError | undefined;
    of(1)
      .pipe(guardStage('sentences', () => throwError(() => typed), context))
      .subscribe({ error: (error) => (seen = error) });
    expect(seen).toBe(typed);
  });

  it('turns a stage that throws while being built, or returns no Observable, into a typed error', () => {
    const errors: VoxError[] = [];
    const record = { error: (error: VoxError) => errors.push(error) };
    of(1)
      .pipe(
        guardStage(
          'speech',
          () => {
            throw new Error('no voice');
          },
          context,
        ),
      )
      .subscribe(record);
    of(1)
      .pipe(guardStage('audioOut', (() => 'not a stream') as never, context))
      .subscribe(record);
    expect(errors.map((e) => [e.source, e.message])).toEqual([
      ['pipeline:speech', "pipeline stage 'speech' failed: no voice"],
      [
        'pipeline:audioOut',
        "pipeline stage 'audioOut' failed: stage 'audioOut' did not return an Observable",
      ],
    ]);
  });
});
