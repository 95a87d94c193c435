import { concatMap, delay, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Sentence, SpeechAudio } from '../../frames/agent';
import type { TtsProvider } from '../../providers/tts';
import { defaultStages } from '../pipeline/default-stages';
import type { ReplyPiece } from '../pipeline/reply-turn';
import type { SpeechChunk } from '../pipeline/stages';
import { SpeechRun, type SpeechRunEnvironment } from './speech-run';

const tts = { name: 'none' } as TtsProvider;
const chunk: SpeechChunk = { samples: new Int16Array(160), sampleRate: 16000 };
const sentence = (text: string): ReplyPiece => ({ text, displayText: text });

function newRun() {
  return new SpeechRun({
    turnId: 't1',
    speechId: 's1',
    kind: 'reply',
    allowInterruptions: true,
    addToHistory: true,
    chunking: {},
  });
}

/** Starts `run` with these stages; what comes out is logged with the virtual time. */
function start(
  scheduler: TestScheduler,
  run: SpeechRun,
  pieces$: Observable<ReplyPiece>,
  stages: Partial<SpeechRunEnvironment['stages']>,
  gated = false,
) {
  const log: string[] = [];
  const at = () => scheduler.now();
  run.start(
    pieces$,
    {
      stages: { ...defaultStages, ...stages },
      context: { sessionId: 'x', scheduler, tts },
      now: at,
      output: {
        text: (_, s: Sentence) => log.push(`${at()} text ${s.index} ${s.displayText}`),
        audio: (_, a: SpeechAudio) => log.push(`${at()} audio ${a.sentenceIndex}/${a.seq}`),
        generated: () => log.push(`${at()} generated`),
        failed: (_, error) => log.push(`${at()} failed ${error.source}`),
      },
    },
    gated,
  );
  return log;
}

describe('SpeechRun wiring', () => {
  it('reply → sentences → speech → audioOut, each stage in its place and in order', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, flush }) => {
      const run = newRun();
      const log = start(
        scheduler,
        run,
        cold<ReplyPiece>('-a--b|', { a: sentence('One.'), b: sentence('Two.') }),
        {
          sentences: (s$) => s$.pipe(delay(1)),
          speech: (s$) => s$.pipe(concatMap(() => cold('--c|', { c: chunk }))),
          audioOut: (a$) => a$.pipe(map((a) => ({ ...a, samples: a.samples.slice(0, 80) }))),
        },
      );
      flush();
      expect(log).toEqual(['2 text 0 One.', '4 audio 0/0', '5 text 1 Two.', '7 audio 1/1', '8 generated']);
      expect(run.heard.fullText()).toBe('One. Two.');
    });
  });

  it('cancel() unsubscribes every stage and the reply at once, and aborts the signal', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectSubscriptions, flush }) => {
      const run = newRun();
      const pieces = cold<ReplyPiece>('-a-------b|', { a: sentence('One.'), b: sentence('Two.') });
      const translator = cold<Sentence>('----------x|');
      const synthesis = cold<SpeechChunk>('-c------d|', { c: chunk, d: chunk });
      const log = start(scheduler, run, pieces, {
        sentences: (s$) => s$.pipe(concatMap((s) => translator.pipe(map(() => s)))),
        speech: (s$) => s$.pipe(concatMap(() => synthesis)),
      });
      cold('----x').subscribe(() => run.cancel());
      flush();
      expectSubscriptions(pieces.subscriptions).toBe('^---!');
      expectSubscriptions(translator.subscriptions).toBe('-^--!');
      expect(synthesis.subscriptions).toEqual([]);
      expect(log).toEqual([]);
      expect(run.signal.aborted).toBe(true);
    });
  });

  it('a gated run works ahead and delivers nothing until opened, then everything in order', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, flush }) => {
      const run = newRun();
      const log = start(
        scheduler,
        run,
        cold<ReplyPiece>('-a|', { a: sentence('Early.') }),
        { speech: (s$) => s$.pipe(concatMap(() => cold('-c|', { c: chunk }))) },
        true,
      );
      cold('-----x').subscribe(() => run.open());
      flush();
      expect(log).toEqual(['5 text 0 Early.', '5 audio 0/0', '5 generated']);
    });
  });

  it('a failing stage fails the run with its name; the text side is told apart from speech', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, flush }) => {
      const textRun = newRun();
      const textLog = start(scheduler, textRun, cold<ReplyPiece>('-a|', { a: sentence('Hi.') }), {
        sentences: () => cold('--#'),
      });
      const speechRun = newRun();
      const speechLog = start(scheduler, speechRun, cold<ReplyPiece>('-a|', { a: sentence('Hi.') }), {
        speech: (s$) => s$.pipe(concatMap(() => cold<SpeechChunk>('-#'))),
      });
      flush();
      expect([textLog, textRun.failedIn]).toEqual([['2 failed pipeline:sentences'], 'text']);
      expect([speechLog, speechRun.failedIn]).toEqual([
        ['1 text 0 Hi.', '2 failed pipeline:speech'],
        'speech',
      ]);
    });
  });
});
