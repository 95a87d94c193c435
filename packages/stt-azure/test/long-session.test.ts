import { describe, expect, it } from 'vitest';
import type { AudioPart } from './helpers';
import { collect, finals, framesOf, paced, sttFor, withEmulator } from './helpers';

describe('AzureStt over a long session', () => {
  it('rotates recognizers right after finals and loses, splits or repeats no utterance', async () => {
    await withEmulator(async (emulator) => {
      const ids = Array.from({ length: 12 }, (_, i) => i + 1);
      const parts: AudioPart[] = ids.flatMap((id) => [{ utterance: id, ms: 400 }, { silenceMs: 800 }]);
      const stt = sttFor(emulator, { rotateAfterMs: 100, forceRotateAfterMs: 60_000 });
      const { events, error } = await collect(stt.transcribe(paced(framesOf(parts), 2, 10)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => [t.text, t.startMs, t.endMs])).toEqual(
        ids.map((id, i) => [`utterance number ${id}`, i * 1200, i * 1200 + 400]),
      );
      expect(emulator.connections.length).toBeGreaterThanOrEqual(3);
      const edges = events
        .filter((e) => e.type === 'speech-start' || e.type === 'speech-end')
        .map((e) => e.type);
      expect(edges).toEqual(ids.flatMap(() => ['speech-start', 'speech-end']));
      await emulator.waitForNoOpenConnections();
    });
  });

  it('forces a rotation during a long silence and still recognizes the next utterance on time', async () => {
    await withEmulator(async (emulator) => {
      const parts: AudioPart[] = [{ silenceMs: 8000 }, { utterance: 9, ms: 400 }, { silenceMs: 800 }];
      // idleReplayMs above the silence: a busy machine may leave the service seconds of audio behind.
      const stt = sttFor(emulator, { rotateAfterMs: 50, forceRotateAfterMs: 100, idleReplayMs: 20_000 });
      const { events, error } = await collect(stt.transcribe(paced(framesOf(parts), 1, 10)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => [t.text, t.startMs, t.endMs])).toEqual([
        ['utterance number 9', 8000, 8400],
      ]);
      expect(emulator.connections.length).toBeGreaterThanOrEqual(2);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('refreshes short-lived tokens so every rotated recognizer is let in', async () => {
    await withEmulator(
      async (emulator) => {
        let refreshes = 0;
        const stt = sttFor(emulator, {
          key: undefined,
          refreshToken: async () => {
            refreshes++;
            return emulator.issueToken(1000);
          },
          tokenRefreshIntervalMs: 100,
          rotateAfterMs: 150,
        });
        const parts: AudioPart[] = [1, 2, 3, 4, 5, 6].flatMap((id) => [
          { utterance: id, ms: 400 },
          { silenceMs: 800 },
        ]);
        const { events, error } = await collect(stt.transcribe(paced(framesOf(parts), 2, 15)));
        expect(error).toBeUndefined();
        expect(finals(events)).toHaveLength(6);
        expect(refreshes).toBeGreaterThan(3);
        expect(emulator.connections.length).toBeGreaterThanOrEqual(2);
        expect(emulator.connections.every((c) => c.status === 101)).toBe(true);
        expect(new Set(emulator.connections.map((c) => c.token)).size).toBe(emulator.connections.length);
        await emulator.waitForNoOpenConnections();
      },
      { keys: ['no-key-accepted'] },
    );
  });

  it('runs a simulated 25-minute session with token refreshes and rotations and loses no final', async () => {
    await withEmulator(
      async (emulator) => {
        // 250 utterances, one every 6 s of audio; audio is pushed far faster than real time, so
        // token lifetime and recognizer age are scaled down with it.
        const ids = Array.from({ length: 250 }, (_, i) => i + 1);
        const parts: AudioPart[] = ids.flatMap((id) => [{ utterance: id, ms: 1200 }, { silenceMs: 4800 }]);
        const frames = framesOf(parts);
        expect(frames.at(-1)!.startMs).toBeGreaterThanOrEqual(25 * 60_000 - 100);
        let refreshes = 0;
        const stt = sttFor(emulator, {
          key: undefined,
          refreshToken: async () => {
            refreshes++;
            return emulator.issueToken(2000);
          },
          tokenRefreshIntervalMs: 250,
          rotateAfterMs: 400,
          // Audio goes in ~100x faster than real time, so on a busy machine the service can lag
          // minutes of audio behind the push: replay windows (audio time) scale up accordingly.
          forceRotateAfterMs: 60_000,
          maxReplayMs: 30 * 60_000,
        });
        // 15 000 frames, 5 per timer tick: at least 3 000 ticks of ≥ 1 ms, so the session lasts
        // ≥ 3 s of wall time on any machine — longer than a token lives (2 s) and ≥ 11 refresh
        // intervals. A faster machine cannot shorten it below that; the counts below are floors.
        const { events, error } = await collect(stt.transcribe(paced(frames, 5, 1)));
        expect(error).toBeUndefined();
        expect(finals(events).map((t) => [t.text, t.startMs])).toEqual(
          ids.map((id, i) => [`utterance number ${id}`, i * 6000]),
        );
        expect(refreshes).toBeGreaterThan(5);
        expect(emulator.connections.length).toBeGreaterThan(3);
        expect(emulator.connections.every((c) => c.status === 101)).toBe(true);
        await emulator.waitForNoOpenConnections();
      },
      { keys: ['no-key-accepted'] },
    );
  }, 60_000);
});
