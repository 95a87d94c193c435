import { filter, map, merge, type Observable, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../frames/audio';
import type { SttEvent } from '../../frames/transcript';
import type { BargeInDecision, BargeInSignal } from '../../operators/barge-in';
import type { TurnSignal } from '../../operators/detect-end-of-turn';
import type { SttProvider } from '../../providers/stt';
import { defaultStages } from '../pipeline/default-stages';
import type { ResolvedVoicePipeline } from '../pipeline/stages';
import { UserListener } from './user-listener';

/** A recognizer that "hears" each frame's first sample as a final transcript. */
const echoStt: SttProvider = {
  specificationVersion: 'v1',
  name: 'echo',
  sampleRate: 16000,
  transcribe: (audio$: Observable<AudioFrame>) =>
    audio$.pipe(
      map(
        (frame): SttEvent => ({
          type: 'final',
          transcript: { text: String(frame.samples[0]), isFinal: true },
        }),
      ),
    ),
};
const frame = (value: number, startMs: number): AudioFrame => ({
  samples: Int16Array.of(value),
  sampleRate: 16000,
  channels: 1,
  startMs,
});
const agentSpeaking: BargeInSignal = {
  type: 'agent',
  state: 'speaking',
  speechId: 's1',
  isInterruptible: true,
};

function listen(scheduler: TestScheduler, stages: Partial<ResolvedVoicePipeline>) {
  const seen = {
    turns: [] as string[],
    decisions: [] as BargeInDecision[],
    stt: [] as string[],
    failures: [] as string[],
  };
  const listener = new UserListener(
    {
      stt: echoStt,
      stages: { ...defaultStages, ...stages },
      context: { sessionId: 'x', scheduler },
      audioIn: {
        playedAgentAudio: { playedEnergies: (ms, block) => new Float64Array(Math.ceil(ms / block)) },
        echo: {},
      },
      turnDetection: { mode: 'stt', minEndpointDelayMs: 0 },
      bargeIn: {
        trigger: 'transcript',
        minSpeechMs: { thinking: 0, speaking: 0 },
        minWords: { thinking: 1, speaking: 1 },
        falseInterruptionMs: 1000,
        backchannels: [],
      },
      recognitionRetry: { initialDelayMs: 0, maxDelayMs: 1 },
      now: () => scheduler.now(),
    },
    {
      stt: (event) => event.type === 'final' && seen.stt.push(event.transcript.text),
      vad: () => {},
      turn: (turn) => seen.turns.push(turn.text),
      bargeIn: (decision) => seen.decisions.push(decision),
      lost: () => {},
      stageFailed: (error) => seen.failures.push(String(error.source)),
    },
    agentSpeaking,
  );
  return { listener, seen };
}

describe('UserListener wiring', () => {
  it('mic → audioIn → STT → transcripts → endOfTurn, each stage in its place', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(() => {
      const { listener, seen } = listen(scheduler, {
        audioIn: (f$) => f$.pipe(map((f) => ({ ...f, samples: f.samples.map((s) => s * 2) }))),
        transcripts: (e$) =>
          e$.pipe(
            map((e) =>
              e.type === 'final'
                ? { ...e, transcript: { ...e.transcript, text: `heard ${e.transcript.text}` } }
                : e,
            ),
          ),
        endOfTurn: (s$: Observable<TurnSignal>, context) =>
          defaultStages.endOfTurn(s$, context).pipe(map((t) => ({ ...t, text: t.text.toUpperCase() }))),
      });
      listener.push(frame(21, 0));
      expect(seen.stt).toEqual(['heard 42']);
      expect(seen.turns).toEqual(['HEARD 42']);
      listener.close();
    });
  });

  it('feeds the bargeIn stage the agent first, then user signals, and delivers its decisions', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(() => {
      const signals: string[] = [];
      const { listener, seen } = listen(scheduler, {
        bargeIn: (s$, context) => {
          const recorded = s$.pipe(tap((s) => signals.push(s.type)));
          return defaultStages.bargeIn(recorded, context);
        },
      });
      listener.signal({ type: 'onset' });
      listener.signal({ type: 'transcript', text: 'wait', isFinal: true });
      expect(signals).toEqual(['agent', 'onset', 'transcript']);
      expect(seen.decisions.map((d) => d.type)).toEqual(['pause', 'commit']);
      listener.close();
    });
  });

  it('close() unsubscribes what the session-level stages hold (their timers too)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectSubscriptions, flush }) => {
      const policyTimer = cold<BargeInDecision>('-----r');
      const turnTimer = cold<never>('------t');
      const { listener } = listen(scheduler, {
        bargeIn: (s$) => merge(s$.pipe(filter(() => false)), policyTimer) as Observable<BargeInDecision>,
        endOfTurn: (s$, context) =>
          merge(defaultStages.endOfTurn(s$, context), turnTimer.pipe(filter(() => false))),
      });
      listener.push(frame(1, 0));
      cold('--x').subscribe(() => listener.close());
      flush();
      expectSubscriptions(policyTimer.subscriptions).toBe('^-!');
      expectSubscriptions(turnTimer.subscriptions).toBe('^-!');
    });
  });

  it('a failing stage is reported by name and restarted with the next input', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(() => {
      let frames = 0;
      const { listener, seen } = listen(scheduler, {
        audioIn: (f$) =>
          f$.pipe(
            map((f) => {
              if (++frames === 1) throw new Error('bad frame');
              return f;
            }),
          ),
      });
      listener.push(frame(1, 0));
      listener.push(frame(2, 20));
      expect(seen.failures).toEqual(['pipeline:audioIn']);
      expect(seen.turns).toEqual(['2']);
      listener.close();
    });
  });
});
