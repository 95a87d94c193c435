import fc from 'fast-check';
import { delay, map, Observable, type OperatorFunction, type SchedulerLike, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Sentence } from '../src/frames/agent';
import { defaultStages } from '../src/session/pipeline/default-stages';
import type { VoicePipeline } from '../src/session/pipeline/stages';
import { ResourceCounter } from '../src/testing/resource-counter';
import { virtualConversation } from '../src/testing/virtual-conversation';

/** What a random stage does to the items passing it. */
type StageKind = 'identity' | 'delaying' | 'erroring' | 'resource';
const kindArb = fc.constantFrom<StageKind>('identity', 'delaying', 'erroring', 'resource');

const words = ['what', 'is', 'the', 'weather', 'tell', 'me', 'a', 'story', 'stop', 'please'];
const utteranceArb = fc.record({
  gapMs: fc.integer({ min: 200, max: 4000 }),
  text: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
});
const replyArb = fc.constantFrom(
  'Sure. It is sunny and warm today.',
  'Once upon a time a robot lived by the sea. It counted the waves every morning. Then the tide came in.',
  'Okay.',
);

/**
 * A stage of the given kind, built on `base`: it may delay each item, fail on its `failAt`-th
 * item, or hold a resource (counted in `resources`) for as long as it is subscribed.
 */
function stageOf<T>(
  kind: StageKind,
  failAt: number,
  resources: ResourceCounter,
  ms: number,
  scheduler: SchedulerLike,
): OperatorFunction<T, T> {
  return (source) => {
    switch (kind) {
      case 'identity':
        return source;
      case 'delaying':
        return source.pipe(delay(ms, scheduler));
      case 'erroring': {
        let seen = 0;
        return source.pipe(
          map((item) => {
            if (++seen === failAt) throw new Error('random stage failure');
            return item;
          }),
        );
      }
      case 'resource':
        return new Observable<T>((subscriber) => {
          const done = resources.track();
          const subscription = source.subscribe(subscriber);
          return () => {
            done('cancelled');
            subscription.unsubscribe();
          };
        });
    }
  };
}

const normalized = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('custom pipeline properties', () => {
  it('for any stages under any interrupts: every opened resource is closed, and history is the heard part of what sentences emitted', () => {
    fc.assert(
      fc.property(
        fc.record({
          sentences: kindArb,
          speech: kindArb,
          audioOut: kindArb,
          transcripts: kindArb,
          reply: kindArb,
          failAt: fc.integer({ min: 1, max: 4 }),
          delayMs: fc.integer({ min: 1, max: 400 }),
        }),
        fc.array(utteranceArb, { minLength: 1, maxLength: 4 }),
        fc.array(replyArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 16_000 }), { maxLength: 3 }),
        fc.integer({ min: 2000, max: 20_000 }),
        (kinds, script, replies, interruptsAt, closeAtMs) => {
          const resources = new ResourceCounter();
          const stage = <T>(kind: StageKind, scheduler: SchedulerLike) =>
            stageOf<T>(kind, kinds.failAt, resources, kinds.delayMs, scheduler);
          /** What the sentences stage emitted, by speech: the text history must follow. */
          const emitted = new Map<string, string[]>();
          const pipeline: VoicePipeline = {
            // The stage also translates (upper case), so history can only match what it emitted.
            sentences: (s$, { scheduler }) =>
              s$.pipe(
                map(
                  (s): Sentence => ({
                    ...s,
                    text: s.text.toUpperCase(),
                    displayText: s.displayText.toUpperCase(),
                  }),
                ),
                stage(kinds.sentences, scheduler),
                tap((s) => emitted.set(s.speechId, [...(emitted.get(s.speechId) ?? []), s.displayText])),
              ),
            speech: (s$, context) =>
              defaultStages.speech(s$, context).pipe(stage(kinds.speech, context.scheduler)),
            audioOut: (a$, { scheduler }) => a$.pipe(stage(kinds.audioOut, scheduler)),
            transcripts: (e$, { scheduler }) => e$.pipe(stage(kinds.transcripts, scheduler)),
            reply: (turn) => defaultStages.reply(turn).pipe(stage(kinds.reply, turn.scheduler)),
          };
          let startMs = 0;
          const utterances = script.map((u) => {
            startMs += u.gapMs;
            const placed = { text: u.text, startMs };
            startMs += 1500;
            return placed;
          });
          const c = virtualConversation({
            utterances,
            micMs: 20_000,
            llm: { tokensPerSecond: 20, reply: (_, call) => replies[call % replies.length]! },
            config: { pipeline },
          });
          for (const at of interruptsAt) c.at(at, () => c.session.interrupt());
          c.at(closeAtMs, () => c.session.close());
          c.run();

          // Nothing any stage or provider opened is left open.
          expect(resources.open).toBe(0);
          expect(c.llm.streams.open + c.tts.streams.open + c.stt.streams.open).toBe(0);

          // Each finished reply is in the history as the heard part of what `sentences` emitted.
          const expected = c.ofType('speech-end').flatMap((end) => {
            const said = normalized((emitted.get(end.speechId) ?? []).join(' '));
            const heard = normalized(end.heardText);
            expect(said.startsWith(heard)).toBe(true);
            expect(heard).toBe(heard.toUpperCase());
            return heard === '' ? [] : [heard];
          });
          const stored = c.session.history.flatMap((m) =>
            m.role === 'assistant' ? [normalized(m.content)] : [],
          );
          expect(stored).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
