import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Work, WorkQueue } from './work-queue';

/** A frame of `samples` samples at `startMs`, each sample holding its own index from `first`. */
const frame = (startMs: number, samples: number, first = 0): Work => ({
  kind: 'frame',
  samples: Int16Array.from({ length: samples }, (_, i) => (first + i) % 32768),
  startMs,
});
const pause: Work = { kind: 'vad', event: { type: 'speech-pause', atMs: 60, probability: 0.1 } };

function drain(queue: WorkQueue): Work[] {
  const taken: Work[] = [];
  for (let work = queue.take(); work; work = queue.take()) taken.push(work);
  return taken;
}
const shape = (works: Work[]) =>
  works.map((w) => (w.kind === 'frame' ? `${w.startMs}+${w.samples.length}` : w.kind));

describe('WorkQueue', () => {
  it('merges frames waiting back to back into one call of at most maxSamples', () => {
    const queue = new WorkQueue(0, 1000);
    for (let i = 0; i < 4; i++) queue.push(frame(i * 20, 320, i * 320));
    expect(shape(drain(queue))).toEqual(['0+960', '60+320']);
  });

  it('holds frames until minSamples are queued, unless a VAD event or the end waits behind them', () => {
    const queue = new WorkQueue(1600, 1600);
    queue.push(frame(0, 320));
    queue.push(frame(20, 320, 320));
    expect(queue.take()).toBeUndefined();
    queue.push(pause);
    expect(shape(drain(queue))).toEqual(['0+640', 'vad']);
    queue.push(frame(40, 320));
    queue.push({ kind: 'end' });
    expect(shape(drain(queue))).toEqual(['40+320', 'end']);
  });

  it('puts a VAD event ahead of the waiting frames that start at or after its place on the timeline', () => {
    const queue = new WorkQueue(1600, 1600);
    for (let i = 0; i < 4; i++) queue.push(frame(i * 20, 320, i * 320));
    queue.push({ kind: 'vad', event: { type: 'speech-end', atMs: 40, probability: 0.1 } });
    expect(shape(drain(queue))).toEqual(['0+640', 'vad']);
    queue.push({ kind: 'end' });
    expect(shape(drain(queue))).toEqual(['40+640', 'end']);
  });

  it('does not merge frames that leave a gap on the timeline', () => {
    const queue = new WorkQueue(0, 1600);
    queue.push(frame(0, 320));
    queue.push(frame(100, 320));
    expect(shape(drain(queue))).toEqual(['0+320', '100+320']);
  });

  it('gives every sample once, in order, and every event after exactly the audio pushed before it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.constant(0)), { maxLength: 40 }),
        fc.integer({ min: 0, max: 3000 }),
        (plan, minSamples) => {
          const queue = new WorkQueue(minSamples, 1600);
          let pushedSamples = 0;
          const eventsAt: number[] = [];
          const seen: number[] = [];
          const eventsSeenAt: number[] = [];
          const takeReady = () => {
            for (const work of drain(queue)) {
              if (work.kind === 'frame') seen.push(...work.samples);
              else eventsSeenAt.push(seen.length);
            }
          };
          for (const step of plan) {
            if (step === 0) {
              eventsAt.push(pushedSamples);
              queue.push({
                kind: 'vad',
                event: { type: 'speech-pause', atMs: (pushedSamples / 16000) * 1000, probability: 0 },
              });
            } else {
              queue.push(frame((pushedSamples / 16000) * 1000, step, pushedSamples));
              pushedSamples += step;
            }
            takeReady();
          }
          queue.push({ kind: 'end' });
          eventsAt.push(pushedSamples);
          takeReady();
          expect(seen).toEqual(Array.from({ length: pushedSamples }, (_, i) => i % 32768));
          expect(eventsSeenAt).toEqual(eventsAt);
        },
      ),
    );
  });
});
