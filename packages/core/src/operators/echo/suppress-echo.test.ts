import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../frames/audio';
import { energyOf, type PlayedAgentAudio, suppressEcho } from './suppress-echo';

const RATE = 16_000;
/** A 20 ms frame at a constant level (a square wave of that amplitude: energy = amplitude²). */
const frame = (startMs: number, amplitude: number): AudioFrame => ({
  samples: Int16Array.from({ length: RATE / 50 }, (_, i) => (i % 2 ? 1 : -1) * Math.round(amplitude * 32767)),
  sampleRate: RATE,
  channels: 1,
  startMs,
});
/** The agent playing at `level` (energy) the whole time, or nothing. */
const playing = (level: number): PlayedAgentAudio => ({
  playedEnergies: (durationMs, blockMs) => new Float64Array(Math.ceil(durationMs / blockMs)).fill(level),
});

describe('suppressEcho', () => {
  it('silences echo-only frames, passes the user and everything while the agent is silent', () => {
    const frames = {
      e: frame(0, 0.05), // -26 dB: the agent (at -6 dB) coming back 20 dB down
      u: frame(20, 0.5), // the user over it
      q: frame(40, 0.05),
    };
    const silent = (f: AudioFrame) => ({ ...f, samples: new Int16Array(f.samples.length) });
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
      ({ cold, expectObservable }) => {
        const agentLevel = 0.25; // energy of a -6 dBFS agent
        const source = cold('e-e-u-e-|', frames);
        // An echo level already learned (20 dB down), as after a few seconds of agent speech.
        const options = { hangoverMs: 0, initialEchoGainDb: -20 };
        expectObservable(source.pipe(suppressEcho(playing(agentLevel), options))).toBe('a-a-u-b-|', {
          a: silent(frames.e),
          u: frames.u,
          b: silent(frames.e),
        });
        expectObservable(cold('e-u-|', frames).pipe(suppressEcho(playing(0)))).toBe('e-u-|', frames);
      },
    );
  });

  it('keeps each frame’s length and timeline, and gates 10 ms blocks separately', () => {
    const mixed = frame(0, 0.05);
    mixed.samples.fill(16000, 0, 160); // the first 10 ms loud: the user
    let out: AudioFrame | undefined;
    of(mixed)
      .pipe(suppressEcho(playing(0.25), { hangoverMs: 0, initialEchoGainDb: -20 }))
      .subscribe((f) => {
        out = f;
      });
    expect(out?.samples.length).toBe(mixed.samples.length);
    expect(out?.startMs).toBe(0);
    expect(out?.samples.subarray(0, 160)).toEqual(mixed.samples.subarray(0, 160));
    expect(out?.samples.subarray(160).every((sample) => sample === 0)).toBe(true);
  });

  it('measures energy as the mean square of ±1 samples', () => {
    expect(energyOf(Int16Array.from([16384, -16384]))).toBeCloseTo(0.25, 3);
    expect(energyOf(new Int16Array(0))).toBe(0);
  });
});
