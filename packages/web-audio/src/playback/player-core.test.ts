import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlayerCore, type PlayerCoreOptions } from './player-core';
import type { PlayerEvent } from './player-events';

const RATE = 48_000;
const QUANTUM = 128;

function setup(options: Partial<PlayerCoreOptions> = {}) {
  const events: PlayerEvent[] = [];
  const player = new PlayerCore({ sampleRate: RATE, ...options }, (e) => events.push(e));
  const output: number[] = [];
  const render = (quanta = 1) => {
    const out = new Float32Array(QUANTUM);
    for (let q = 0; q < quanta; q++) {
      player.render(out);
      output.push(...out);
    }
  };
  return { player, events, output, render };
}

/** Distinct, non-zero values so any reorder, loss or repeat shows in the output. */
function ramp(from: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => 0.1 + ((from + i) % 1000) / 2000);
}

function ofType<T extends PlayerEvent['type']>(events: PlayerEvent[], type: T) {
  return events.filter((e): e is Extract<PlayerEvent, { type: T }> => e.type === type);
}

const ms = (n: number) => (n / 1000) * RATE;

describe('PlayerCore', () => {
  it('stays silent until the jitter buffer holds 60 ms, then plays chunks in seq order', () => {
    const { player, events, output, render } = setup();
    player.enqueue({ speechId: 's1', seq: 1, sampleRate: RATE, samples: ramp(ms(40), ms(40)) });
    player.enqueue({ speechId: 's1', seq: 0, sampleRate: RATE, samples: ramp(0, ms(40)) });
    render(2);
    expect(output.slice(0, 2 * QUANTUM).every((s) => s === 0)).toBe(false);
    expect(ofType(events, 'started')).toEqual([{ type: 'started', speechId: 's1', frame: 0 }]);
    player.end('s1');
    render(40);
    expect(output.slice(0, ms(80))).toEqual(Array.from(ramp(0, ms(80))));
    expect(ofType(events, 'finished')).toEqual([{ type: 'finished', speechId: 's1', playedMs: 80 }]);
  });

  it('waits while less than the jitter buffer has arrived', () => {
    const { player, events, output, render } = setup({ jitterBufferMs: 60 });
    player.enqueue({ speechId: 's1', seq: 0, sampleRate: RATE, samples: ramp(0, ms(40)) });
    render(10);
    expect(output.every((s) => s === 0)).toBe(true);
    expect(ofType(events, 'started')).toEqual([]);
  });

  it('plays every sample once, in order and gapless, whatever the chunking, when audio keeps ahead', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const { player, events, output, render } = setup({ jitterBufferMs: 20 });
        let sent = 0;
        sizes.forEach((size, seq) => {
          player.enqueue({ speechId: 'a', seq, sampleRate: RATE, samples: ramp(sent, size) });
          sent += size;
          // Render only what is safely buffered, so delivery stays ahead of playback.
          while (player.stats.playedFrames + QUANTUM + ms(20) <= sent) render();
        });
        player.end('a');
        render(Math.ceil(sent / QUANTUM) + 2);
        const played = output.filter((s) => s !== 0);
        expect(played).toEqual(Array.from(ramp(0, sent)));
        expect(output.slice(0, sent)).toEqual(played.length === sent ? played : []);
        expect(player.stats.underruns).toBe(0);
        expect(ofType(events, 'finished')[0]?.playedMs).toBeCloseTo((sent / RATE) * 1000, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('goes silent right after a fade of at most 5 ms on interrupt and drops late chunks of that speech', () => {
    const { player, events, output, render } = setup();
    player.enqueue({
      speechId: 's1',
      seq: 0,
      sampleRate: RATE,
      samples: new Float32Array(ms(500)).fill(0.5),
    });
    render(10);
    const before = output.length;
    player.interrupt('s1');
    player.enqueue({
      speechId: 's1',
      seq: 1,
      sampleRate: RATE,
      samples: new Float32Array(ms(100)).fill(0.5),
    });
    render(20);
    const after = output.slice(before);
    let lastSound = after.length - 1;
    while (lastSound >= 0 && after[lastSound] === 0) lastSound--;
    expect(lastSound).toBeLessThan(ms(5));
    expect(after.slice(lastSound + 1).every((s) => s === 0)).toBe(true);
    // The fade goes down, never up.
    for (let i = 1; i <= lastSound; i++) expect(after[i]).toBeLessThanOrEqual(after[i - 1]!);
    const [interrupted] = ofType(events, 'interrupted');
    expect(interrupted?.speechId).toBe('s1');
    expect(interrupted!.silentFrame! - before).toBeLessThanOrEqual(ms(5));
    expect(interrupted!.playedMs).toBeCloseTo(((interrupted!.silentFrame ?? 0) / RATE) * 1000, 9);
    expect(ofType(events, 'dropped')).toEqual([
      { type: 'dropped', speechId: 's1', seq: 1, reason: 'interrupted' },
    ]);
  });

  it('drops chunks of a speech interrupted before any of its audio arrived', () => {
    const { player, events, output, render } = setup();
    player.interrupt('s2');
    player.enqueue({ speechId: 's2', seq: 0, sampleRate: RATE, samples: ramp(0, ms(100)) });
    render(30);
    expect(output.every((s) => s === 0)).toBe(true);
    expect(ofType(events, 'dropped')[0]?.reason).toBe('interrupted');
  });

  it('interrupt without a speechId cuts the playing and the queued speeches', () => {
    const { player, events, output, render } = setup();
    player.enqueue({ speechId: 'a', seq: 0, sampleRate: RATE, samples: ramp(0, ms(200)) });
    player.enqueue({ speechId: 'b', seq: 0, sampleRate: RATE, samples: ramp(0, ms(200)) });
    render(5);
    player.interrupt();
    const before = output.length;
    render(200);
    expect(output.slice(before + ms(5)).every((s) => s === 0)).toBe(true);
    expect(
      ofType(events, 'interrupted')
        .map((e) => e.speechId)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('pauses in place and resumes with the next sample, losing nothing', () => {
    const { player, events, output, render } = setup({ fadeMs: 0 });
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(300)) });
    player.end('s');
    render(10);
    player.pause('s');
    render(50);
    const paused = ofType(events, 'paused')[0];
    expect(paused?.playedMs).toBeCloseTo(((10 * QUANTUM + 1) / RATE) * 1000, 9);
    const silentWhilePaused = output.slice(10 * QUANTUM + 1, 60 * QUANTUM);
    expect(silentWhilePaused.every((s) => s === 0)).toBe(true);
    player.resume('s');
    render(200);
    const played = output.filter((s) => s !== 0);
    // With a 1-sample fade the one sample under the fade-out is rendered at gain 0: all else plays once.
    const expected = Array.from(ramp(0, ms(300)));
    expected.splice(10 * QUANTUM, 1);
    expect(played).toEqual(expected);
    expect(ofType(events, 'resumed')).toHaveLength(1);
    expect(ofType(events, 'finished')[0]?.playedMs).toBe(300);
  });

  it('holds a speech paused before its first chunk arrived until resumed', () => {
    const { player, output, render } = setup();
    player.pause('later');
    player.enqueue({ speechId: 'later', seq: 0, sampleRate: RATE, samples: ramp(0, ms(100)) });
    render(20);
    expect(output.every((s) => s === 0)).toBe(true);
    player.resume('later');
    render(20);
    expect(output.some((s) => s !== 0)).toBe(true);
  });

  it('counts an underrun when a speech runs dry and more of it arrives later', () => {
    const { player, events, render } = setup();
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(80)) });
    render(40);
    expect(player.stats.underruns).toBe(0);
    player.enqueue({ speechId: 's', seq: 1, sampleRate: RATE, samples: ramp(0, ms(80)) });
    player.end('s');
    render(40);
    expect(player.stats.underruns).toBe(1);
    expect(ofType(events, 'underrun')).toEqual([{ type: 'underrun', speechId: 's', underruns: 1 }]);
  });

  it('counts one underrun for one stall, and refills the jitter buffer before going on', () => {
    const { player, output, render } = setup();
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(100)) });
    render(60); // plays the 100 ms, then runs dry
    const beforeRefill = output.length;
    // Delivery resumes in real time, 20 ms at a time.
    for (let seq = 1; seq <= 10; seq++) {
      player.enqueue({ speechId: 's', seq, sampleRate: RATE, samples: ramp(0, ms(20)) });
      render(ms(20) / QUANTUM);
    }
    expect(player.stats.underruns).toBe(1);
    // Silent until 60 ms had arrived again (three chunks), then continuous.
    const after = output.slice(beforeRefill);
    const firstSound = after.findIndex((s) => s !== 0);
    expect(firstSound).toBeGreaterThanOrEqual(ms(40));
    expect(after.slice(firstSound).every((s) => s !== 0)).toBe(true);
  });

  it('does not call the end of a speech an underrun, and plays the next speech after it', () => {
    const { player, events, render } = setup();
    player.enqueue({ speechId: 'a', seq: 0, sampleRate: RATE, samples: ramp(0, ms(80)) });
    render(40);
    player.enqueue({ speechId: 'b', seq: 0, sampleRate: RATE, samples: ramp(0, ms(80)) });
    render(40);
    expect(player.stats.underruns).toBe(0);
    expect(events.filter((e) => e.type === 'started' || e.type === 'finished').map((e) => e.type)).toEqual([
      'started',
      'finished',
      'started',
    ]);
    player.enqueue({ speechId: 'a', seq: 1, sampleRate: RATE, samples: ramp(0, ms(20)) });
    expect(ofType(events, 'dropped')[0]?.reason).toBe('finished');
  });

  it('reports finished in the quantum that plays the last sample, with the exact position', () => {
    const { player, events, render } = setup();
    // Exactly 30 quanta of audio, its end already known (the server's audio-end).
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, 30 * QUANTUM) });
    player.end('s');
    render(30);
    expect(ofType(events, 'finished')).toEqual([
      { type: 'finished', speechId: 's', playedMs: ((30 * QUANTUM) / RATE) * 1000 },
    ]);
  });

  it('reports an interrupt whose fade meets the end of the audio as interrupted, never finished', () => {
    const { player, events, render } = setup();
    // The interrupt comes with 160 samples left: less than the 4 ms (192-sample) fade.
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, 29 * QUANTUM + 160) });
    player.end('s');
    render(29);
    player.interrupt('s');
    render(5);
    expect(ofType(events, 'interrupted')).toHaveLength(1);
    expect(ofType(events, 'finished')).toEqual([]);
  });

  it('reports progress every 100 ms of played audio', () => {
    const { player, events, render } = setup();
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(450)) });
    player.end('s');
    render(200);
    expect(ofType(events, 'progress').map((e) => Math.floor(e.playedMs / 100))).toEqual([1, 2, 3, 4]);
  });

  it('resamples 24 kHz speech to the output rate keeping its duration', () => {
    const { player, events, render } = setup();
    for (let seq = 0; seq < 10; seq++) {
      player.enqueue({ speechId: 's', seq, sampleRate: 24_000, samples: new Int16Array(480).fill(8000) });
    }
    player.end('s');
    render(200);
    expect(ofType(events, 'finished')[0]?.playedMs).toBeCloseTo(200, 0);
  });

  it('skips a seq that never comes once the speech is over', () => {
    const { player, output, render, events } = setup();
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(20)) });
    player.enqueue({ speechId: 's', seq: 2, sampleRate: RATE, samples: ramp(ms(40), ms(20)) });
    player.end('s');
    render(30);
    expect(player.stats.lostChunks).toBe(1);
    expect(output.filter((s) => s !== 0)).toEqual([...ramp(0, ms(20)), ...ramp(ms(40), ms(20))]);
    expect(ofType(events, 'finished')[0]?.playedMs).toBe(40);
  });

  it('plays past a missing seq once a jitter buffer of later audio waits behind it', () => {
    const { player, output, render } = setup();
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(80)) });
    render(40);
    player.enqueue({ speechId: 's', seq: 2, sampleRate: RATE, samples: ramp(ms(100), ms(40)) });
    render(10);
    const beforeSkip = output.filter((s) => s !== 0).length;
    expect(beforeSkip).toBe(ms(80));
    player.enqueue({ speechId: 's', seq: 3, sampleRate: RATE, samples: ramp(ms(140), ms(40)) });
    render(40);
    expect(player.stats.lostChunks).toBe(1);
    expect(player.stats.underruns).toBe(1);
    expect(output.filter((s) => s !== 0).length).toBe(ms(160));
  });

  it('refuses duplicates and audio beyond maxBufferedMs', () => {
    const { player, events } = setup({ maxBufferedMs: 100 });
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(80)) });
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(10)) });
    player.enqueue({ speechId: 's', seq: 1, sampleRate: RATE, samples: ramp(0, ms(40)) });
    expect(ofType(events, 'dropped').map((e) => e.reason)).toEqual(['duplicate', 'overflow']);
    expect(player.stats.droppedChunks).toBe(2);
  });

  it('drops malformed chunks and keeps playing the good ones', () => {
    const { player, events, output, render } = setup();
    const bad = [
      { speechId: 's', seq: 0, sampleRate: 0, samples: ramp(0, 10) },
      { speechId: 's', seq: -1, sampleRate: RATE, samples: ramp(0, 10) },
      { speechId: '', seq: 0, sampleRate: RATE, samples: ramp(0, 10) },
      { speechId: 's', seq: 0, sampleRate: Number.NaN, samples: ramp(0, 10) },
      { speechId: 's', seq: 0, sampleRate: RATE, samples: [1, 2, 3] as unknown as Float32Array },
    ];
    for (const chunk of bad) player.enqueue(chunk);
    expect(ofType(events, 'dropped').map((e) => e.reason)).toEqual(Array(bad.length).fill('invalid'));
    player.enqueue({ speechId: 's', seq: 0, sampleRate: RATE, samples: ramp(0, ms(80)) });
    player.end('s');
    render(40);
    expect(output.filter((s) => s !== 0)).toEqual(Array.from(ramp(0, ms(80))));
  });

  it('refuses a fade longer than 5 ms', () => {
    expect(() => new PlayerCore({ sampleRate: RATE, fadeMs: 6 }, () => {})).toThrow(RangeError);
  });
});
