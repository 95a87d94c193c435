import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, finals, framesOf, paced, sttFor, withEmulator } from './helpers';

describe('AzureStt through the real SDK', () => {
  it('turns utterances into interims, finals and speech events on the audio timeline', async () => {
    await withEmulator(async (emulator) => {
      const frames = framesOf(
        [
          { silenceMs: 500 },
          { utterance: 7, ms: 800 },
          { silenceMs: 1000 },
          { utterance: 8, ms: 600 },
          { silenceMs: 1000 },
        ],
        { startMs: 12_000 },
      );
      const { events, error } = await collect(sttFor(emulator).transcribe(from(frames)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => t.text)).toEqual(['utterance number 7', 'utterance number 8']);
      const [first, second] = finals(events);
      expect(first).toMatchObject({ isFinal: true, startMs: 12_500, endMs: 13_300, language: 'en-US' });
      expect(second).toMatchObject({ startMs: 14_300, endMs: 14_900 });
      const kinds = events.map((e) => e.type);
      expect(kinds.indexOf('speech-start')).toBeLessThan(kinds.indexOf('interim'));
      expect(kinds.indexOf('interim')).toBeLessThan(kinds.indexOf('final'));
      expect(events.find((e) => e.type === 'speech-start')).toEqual({ type: 'speech-start', atMs: 12_500 });
      expect(events.find((e) => e.type === 'speech-end')).toEqual({ type: 'speech-end', atMs: 13_300 });
      expect(
        events
          .filter((e) => e.type === 'interim')
          .every((e) => e.type === 'interim' && !e.transcript.isFinal),
      ).toBe(true);
      await emulator.waitForNoOpenConnections();
      expect(emulator.connections).toHaveLength(1);
      expect(emulator.connections[0]!.query['Ocp-Apim-Subscription-Key']).toBe('test-key');
    });
  });

  it('keeps times on the session timeline across gaps in the audio', async () => {
    await withEmulator(async (emulator) => {
      const before = framesOf([{ silenceMs: 300 }, { utterance: 1, ms: 400 }, { silenceMs: 700 }]);
      const after = framesOf([{ utterance: 2, ms: 400 }, { silenceMs: 700 }], { startMs: 60_000 });
      const { events } = await collect(sttFor(emulator).transcribe(from([...before, ...after])));
      expect(finals(events).map((t) => [t.text, t.startMs, t.endMs])).toEqual([
        ['utterance number 1', 300, 700],
        ['utterance number 2', 60_000, 60_400],
      ]);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('recognizes every utterance, within one SDK read chunk (100 ms) of its time, when the service rotates turns', async () => {
    await withEmulator(
      async (emulator) => {
        const parts = [1, 2, 3, 4, 5].flatMap((id) => [{ utterance: id, ms: 500 }, { silenceMs: 1000 }]);
        const frames = framesOf(parts, { frameMs: 20 });
        const { events, error } = await collect(sttFor(emulator).transcribe(paced(frames, 25)));
        expect(error).toBeUndefined();
        // At a service-initiated turn change the SDK sends one read-ahead live chunk (100 ms) before
        // it replays from the last final, so the next turn's times can be off by that chunk.
        const found = [1, 2, 3, 4, 5].map((id) =>
          finals(events).find(
            (t) => t.text === `utterance number ${id}` && (t.endMs ?? 0) - (t.startMs ?? 0) >= 400,
          ),
        );
        found.forEach((transcript, i) => {
          expect(Math.abs((transcript?.startMs ?? Number.NaN) - i * 1500)).toBeLessThanOrEqual(100);
        });
        expect(emulator.connections).toHaveLength(1);
        expect(emulator.connections[0]!.turns).toBeGreaterThanOrEqual(3);
        await emulator.waitForNoOpenConnections();
      },
      { recognition: { phrasesPerTurn: 2 } },
    );
  });

  it('closes the recognizer and its connection when the caller unsubscribes mid-stream', async () => {
    await withEmulator(async (emulator) => {
      const parts = Array.from({ length: 40 }, (_, i) => [
        { utterance: i + 1, ms: 400 },
        { silenceMs: 600 },
      ]).flat();
      const seen: string[] = [];
      const subscription = sttFor(emulator)
        .transcribe(paced(framesOf(parts), 2, 5))
        .subscribe((e) => e.type === 'final' && seen.push(e.transcript.text));
      await expect.poll(() => seen.length, { timeout: 5000 }).toBeGreaterThan(0);
      subscription.unsubscribe();
      await emulator.waitForNoOpenConnections();
      expect(seen.length).toBeLessThan(40);
    });
  });
});
