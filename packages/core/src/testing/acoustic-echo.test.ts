import { describe, expect, it } from 'vitest';
import { AcousticEcho } from './acoustic-echo';

const RATE = 1000; // one sample per ms keeps the arithmetic readable
const constant = (ms: number, value = 16384) => new Int16Array(ms).fill(value);
/** Whether the microphone hears any echo in each 10 ms from `fromMs` to `toMs`. */
const heard = (room: AcousticEcho, fromMs: number, toMs: number) => {
  const blocks: boolean[] = [];
  for (let at = fromMs; at < toMs; at += 10) blocks.push(room.echo(at, 10).some((v) => v !== 0));
  return blocks;
};

describe('AcousticEcho', () => {
  const room = () => new AcousticEcho({ sampleRate: RATE, delayMs: 0, gainDb: 0, isFiltered: false });

  it('plays queued audio in order and in real time, however fast it arrived', () => {
    const echo = room();
    echo.play(constant(30), RATE, 0);
    echo.play(constant(30), RATE, 0); // arrives at once, plays after the first chunk
    expect(heard(echo, 0, 80)).toEqual([true, true, true, true, true, true, false, false]);
  });

  it('falls silent while paused, though audio that arrived earlier has not played yet', () => {
    const echo = room();
    echo.play(constant(100), RATE, 0);
    expect(heard(echo, 0, 20)).toEqual([true, true]);
    echo.pause(20);
    echo.play(constant(20), RATE, 30); // more audio arrives during the pause: it waits too
    expect(heard(echo, 20, 60)).toEqual([false, false, false, false]);
    echo.resume(60);
    // The 80 ms left of the first chunk, then the 20 ms that came in the pause: 100 ms from 60.
    expect(heard(echo, 60, 180)).toEqual([...Array(10).fill(true), false, false]);
  });

  it('plays nothing more after a stop, paused or not', () => {
    const echo = room();
    echo.play(constant(100), RATE, 0);
    echo.pause(20);
    echo.stop(40);
    echo.resume(50);
    expect(heard(echo, 40, 100)).toEqual(Array(6).fill(false));
  });

  it('gives the echo back delayed and attenuated', () => {
    const echo = new AcousticEcho({ sampleRate: RATE, delayMs: 20, gainDb: -20, isFiltered: false });
    echo.play(constant(40, 32767), RATE, 0);
    expect(heard(echo, 0, 70)).toEqual([false, false, true, true, true, true, false]);
    const late = new AcousticEcho({ sampleRate: RATE, delayMs: 20, gainDb: -20, isFiltered: false });
    late.play(constant(40, 32767), RATE, 0);
    expect(Math.max(...late.echo(20, 40))).toBeCloseTo(0.1, 2);
  });
});
