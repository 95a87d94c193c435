import type { VadEvent } from '@voxduplex/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpeechGate, type SpeechGateOptions } from './speech-gate';

const WINDOW_MS = 32;
const defaults: SpeechGateOptions = {
  threshold: 0.5,
  negativeThreshold: 0.35,
  minSpeechMs: 100,
  minSilenceMs: 200,
  speechPadMs: 30,
};

/** Feeds one probability per 32 ms window from `startMs`; returns the events and when each was emitted. */
function run(probabilities: readonly number[], options = defaults, startMs = 0) {
  const gate = new SpeechGate(options);
  const events: { event: VadEvent; emittedAtMs: number }[] = [];
  probabilities.forEach((p, i) => {
    const at = startMs + i * WINDOW_MS;
    const event = gate.push(p, at, at + WINDOW_MS);
    if (event) events.push({ event, emittedAtMs: at + WINDOW_MS });
  });
  const end = startMs + probabilities.length * WINDOW_MS;
  const last = gate.flush(end, probabilities.at(-1) ?? 0);
  if (last) events.push({ event: last, emittedAtMs: end });
  return events;
}
const repeat = (p: number, windows: number) => Array.from({ length: windows }, () => p);

describe('SpeechGate', () => {
  it('reports the true onset (minus padding) once speech has lasted minSpeechMs', () => {
    const events = run([...repeat(0.1, 10), ...repeat(0.9, 10), ...repeat(0.1, 10)]);
    expect(events[0]).toEqual({
      event: { type: 'speech-start', atMs: 320 - 30, probability: 0.9 },
      emittedAtMs: 320 + 4 * WINDOW_MS,
    });
    expect(events[1]).toEqual({
      event: { type: 'speech-end', atMs: 640 + 30, probability: 0.1 },
      emittedAtMs: 640 + 7 * WINDOW_MS,
    });
  });

  it('ignores a burst shorter than minSpeechMs', () => {
    expect(run([...repeat(0.1, 5), ...repeat(0.9, 2), ...repeat(0.1, 20)])).toEqual([]);
  });

  it('keeps speech open while the probability dips only between the two thresholds (hysteresis)', () => {
    const events = run([...repeat(0.9, 10), ...repeat(0.4, 30), ...repeat(0.9, 5), ...repeat(0.1, 10)]);
    expect(events.map((e) => e.event.type)).toEqual(['speech-start', 'speech-end']);
  });

  it('does not split at a pause shorter than minSilenceMs', () => {
    const events = run([...repeat(0.9, 10), ...repeat(0.1, 5), ...repeat(0.9, 10), ...repeat(0.1, 10)]);
    expect(events.map((e) => e.event.type)).toEqual(['speech-start', 'speech-end']);
  });

  it('ends open speech at the end of the audio on flush', () => {
    const events = run(repeat(0.9, 10));
    expect(events.map((e) => e.event)).toEqual([
      { type: 'speech-start', atMs: 0, probability: 0.9 },
      { type: 'speech-end', atMs: 320, probability: 0.9 },
    ]);
  });

  it('reports a pause once the silence lasts pauseMs, then the end at the same time after minSilenceMs', () => {
    const events = run([...repeat(0.1, 10), ...repeat(0.9, 10), ...repeat(0.1, 10)], {
      ...defaults,
      pauseMs: 100,
    });
    expect(events).toEqual([
      { event: { type: 'speech-start', atMs: 320 - 30, probability: 0.9 }, emittedAtMs: 320 + 4 * WINDOW_MS },
      { event: { type: 'speech-pause', atMs: 640 + 30, probability: 0.1 }, emittedAtMs: 640 + 4 * WINDOW_MS },
      { event: { type: 'speech-end', atMs: 640 + 30, probability: 0.1 }, emittedAtMs: 640 + 7 * WINDOW_MS },
    ]);
  });

  it('reports a pause for each silence the speech resumes after, and none without pauseMs', () => {
    const probabilities = [...repeat(0.9, 10), ...repeat(0.1, 4), ...repeat(0.9, 10), ...repeat(0.1, 10)];
    expect(run(probabilities, { ...defaults, pauseMs: 100 }).map((e) => e.event.type)).toEqual([
      'speech-start',
      'speech-pause',
      'speech-pause',
      'speech-end',
    ]);
    expect(run(probabilities).map((e) => e.event.type)).toEqual(['speech-start', 'speech-end']);
  });

  it('always alternates start and end, never reports a time after it was emitted, and keeps times in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 300 }),
        fc.record({
          threshold: fc.double({ min: 0.2, max: 0.9, noNaN: true }),
          hysteresis: fc.double({ min: 0, max: 0.19, noNaN: true }),
          minSpeechMs: fc.integer({ min: 0, max: 500 }),
          minSilenceMs: fc.integer({ min: 0, max: 800 }),
          speechPadMs: fc.integer({ min: 0, max: 200 }),
          pauseMs: fc.option(fc.integer({ min: 1, max: 800 }), { nil: undefined }),
        }),
        (probabilities, { threshold, hysteresis, ...rest }) => {
          const all = run(
            probabilities,
            { threshold, negativeThreshold: threshold - hysteresis, ...rest },
            1000,
          );
          all.forEach(({ event, emittedAtMs }, i) => {
            expect(event.atMs).toBeLessThanOrEqual(emittedAtMs);
            expect(event.atMs).toBeGreaterThanOrEqual(
              i === 0 ? 1000 - rest.speechPadMs : all[i - 1]!.event.atMs,
            );
            // A pause comes only inside speech: after a start or a pause, never after an end.
            if (event.type === 'speech-pause') expect(all[i - 1]?.event.type).toMatch(/speech-(start|pause)/);
          });
          const events = all.filter(({ event }) => event.type !== 'speech-pause');
          events.forEach(({ event }, i) => {
            expect(event.type).toBe(i % 2 === 0 ? 'speech-start' : 'speech-end');
          });
          expect(events.length % 2).toBe(0);
          if (rest.pauseMs === undefined) expect(all).toEqual(events);
        },
      ),
    );
  });

  it('never reports speech when every window is below the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.499, noNaN: true }), { maxLength: 300 }),
        (probabilities) => {
          expect(run(probabilities)).toEqual([]);
        },
      ),
    );
  });
});
