import { describe, expect, it } from 'vitest';
import { PlayedAudio, type PlayoutPosition } from './played-audio';

/** 100 ms of audio at 16 kHz whose 10 ms blocks have the given amplitudes (energy = amplitude²). */
function audio(speechId: string, amplitudes: readonly number[]) {
  const samples = new Int16Array(amplitudes.length * 160);
  amplitudes.forEach((amplitude, block) => {
    samples.fill(Math.round(amplitude * 32768), block * 160, (block + 1) * 160);
  });
  return { speechId, samples, sampleRate: 16_000, channels: 1 };
}

describe('PlayedAudio', () => {
  it('reads the energy of what the listener played during each mic frame, in order', () => {
    let position: PlayoutPosition | undefined = { speechId: 's1', playedMs: 0 };
    const played = new PlayedAudio(() => position);
    played.emitted(audio('s1', [0.5, 0.5, 0.25, 0.25, 0, 0]));
    position = { speechId: 's1', playedMs: 20 };
    expect([...played.playedEnergies(20, 10)]).toEqual([0.25, 0.25]);
    position = { speechId: 's1', playedMs: 40 };
    expect([...played.playedEnergies(20, 10)]).toEqual([0.0625, 0.0625]);
  });

  it('gives silence while playback stands still (paused, or played out) and for other speeches', () => {
    let position: PlayoutPosition | undefined = { speechId: 's1', playedMs: 20 };
    const played = new PlayedAudio(() => position);
    played.emitted(audio('s1', [0.5, 0.5, 0.5]));
    played.playedEnergies(20, 10);
    expect([...played.playedEnergies(20, 10)]).toEqual([0, 0]);
    position = { speechId: 's1', playedMs: 30 };
    expect([...played.playedEnergies(20, 10)]).toEqual([0, 0.25]);
    position = { speechId: 's2', playedMs: 30 };
    expect([...played.playedEnergies(20, 10)]).toEqual([0, 0]);
    position = undefined;
    expect([...played.playedEnergies(20, 10)]).toEqual([0, 0]);
  });

  it('skips playback older than its backlog when mic frames fall behind', () => {
    let position: PlayoutPosition | undefined = { speechId: 's1', playedMs: 0 };
    const played = new PlayedAudio(() => position, 20);
    played.emitted(audio('s1', [0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]));
    position = { speechId: 's1', playedMs: 80 };
    // 80 ms played, the mic asks for 20 with a 20 ms backlog allowed: 40–60 ms, then 60–80 ms.
    expect([...played.playedEnergies(20, 10)]).toEqual([0.25, 0.0625]);
    expect([...played.playedEnergies(20, 10)]).toEqual([0.0625, 0.0625]);
  });

  it('matches mic frames that arrive late in a burst with what played while each was captured', () => {
    let position: PlayoutPosition | undefined = { speechId: 's1', playedMs: 0 };
    const played = new PlayedAudio(() => position);
    // 500 ms of speech whose level steps every 100 ms.
    played.emitted(
      audio(
        's1',
        Array.from({ length: 50 }, (_, block) => 0.1 * (1 + Math.floor(block / 10))),
      ),
    );
    // The event loop stalled: 500 ms played before the first of 25 mic frames is handled.
    position = { speechId: 's1', playedMs: 500 };
    const perFrame = Array.from({ length: 25 }, () => played.playedEnergies(20, 10)[0]!);
    expect(perFrame.map((energy) => Math.round(Math.sqrt(energy) * 10))).toEqual(
      Array.from({ length: 25 }, (_, frame) => 1 + Math.floor(frame / 5)),
    );
  });
});
