import { AudioFormatError, VoxError } from '@voxduplex/core';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, finals, framesOf, paced, sttFor, withEmulator } from './helpers';

const threeUtterances = framesOf([1, 2, 3].flatMap((id) => [{ utterance: id, ms: 500 }, { silenceMs: 800 }]));
const texts = (ids: number[]) => ids.map((id) => `utterance number ${id}`);

describe('AzureStt failures through the real SDK', () => {
  it('fails with a request error on close 1007 and does not retry', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'close', code: 1007, afterAudioMs: 600 });
      const { error } = await collect(sttFor(emulator).transcribe(paced(threeUtterances)));
      expect(error).toMatchObject({
        name: 'ProviderRequestError',
        code: 'provider_invalid_request',
        retryable: false,
      });
      expect(emulator.connections).toHaveLength(1);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('replaces a recognizer dropped with close 1011 and loses no utterance', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'close', code: 1011, afterAudioMs: 1600 });
      const { events, error } = await collect(sttFor(emulator).transcribe(paced(threeUtterances, 2)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => t.text)).toEqual(texts([1, 2, 3]));
      expect(finals(events).map((t) => t.startMs)).toEqual([0, 1300, 2600]);
      await emulator.waitForNoOpenConnections();
      expect(emulator.connections[0]!.closeCode).toBe(1011);
      expect(emulator.connections.length).toBeGreaterThanOrEqual(2);
    });
  });

  it('replaces a recognizer dropped after the audio ended and still flushes every final', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'close', code: 1011, afterAudioMs: 1600 });
      const { events, error } = await collect(sttFor(emulator).transcribe(from(threeUtterances)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => [t.text, t.startMs])).toEqual([
        ['utterance number 1', 0],
        ['utterance number 2', 1300],
        ['utterance number 3', 2600],
      ]);
      await emulator.waitForNoOpenConnections();
      expect(emulator.connections[0]!.closeCode).toBe(1011);
      expect(emulator.connections.length).toBeGreaterThanOrEqual(2);
    });
  });

  it('fails with an auth error, opening no connection, when the token callback keeps failing', async () => {
    await withEmulator(async (emulator) => {
      let calls = 0;
      const stt = sttFor(emulator, {
        key: undefined,
        maxRetries: 2,
        refreshToken: async () => {
          calls++;
          throw new Error('token endpoint down');
        },
      });
      const { error } = await collect(stt.transcribe(from(threeUtterances)));
      expect(error).toMatchObject({ name: 'ProviderAuthError', source: 'stt:azure' });
      expect(error?.cause).toMatchObject({ message: 'token endpoint down' });
      expect(calls).toBe(3);
      expect(emulator.connections).toHaveLength(0);
    });
  });

  it('gives up with a retryable unavailable error once the retries are spent', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'close', code: 1011, afterAudioMs: 0 }, 10);
      const { error } = await collect(
        sttFor(emulator, { maxRetries: 2 }).transcribe(paced(threeUtterances, 2)),
      );
      expect(error).toMatchObject({ name: 'ProviderUnavailableError', retryable: true, source: 'stt:azure' });
      expect(emulator.connections).toHaveLength(3);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('recognizes again, on a fresh recognizer, an utterance whose phrase came back with status Error', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'phrase-error' });
      const { events, error } = await collect(sttFor(emulator).transcribe(paced(threeUtterances, 2)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => t.text)).toEqual(texts([1, 2, 3]));
      expect(emulator.connections).toHaveLength(2);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('reports a refused key (401 on upgrade) as a ProviderAuthError after one attempt, never retried', async () => {
    await withEmulator(
      async (emulator) => {
        const { error } = await collect(
          sttFor(emulator, { key: 'wrong', maxRetries: 5 }).transcribe(from(threeUtterances)),
        );
        expect(error).toMatchObject({ name: 'ProviderAuthError', retryable: false, source: 'stt:azure' });
        expect(error?.message).toMatch(/401/);
        expect(emulator.connections.map((c) => c.status)).toEqual([401]);
        await emulator.waitForNoOpenConnections();
      },
      { keys: ['right'] },
    );
  });

  it('times out, closing everything, when the service never ends the turn after the audio', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'stall' });
      const { events, error } = await collect(
        sttFor(emulator, { endTimeoutMs: 400 }).transcribe(from(threeUtterances)),
      );
      expect(finals(events).map((t) => t.text)).toEqual(texts([1, 2, 3]));
      expect(error).toMatchObject({ name: 'ProviderTimeoutError', retryable: true });
      await emulator.waitForNoOpenConnections();
    });
  });

  it('waits out a slow service and still delivers every final in order', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'slow', delayMs: 30 });
      const { events, error } = await collect(sttFor(emulator).transcribe(from(threeUtterances)));
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => t.text)).toEqual(texts([1, 2, 3]));
      await emulator.waitForNoOpenConnections();
    });
  });

  it('rejects audio that is not 16 kHz mono with an AudioFormatError and closes the recognizer', async () => {
    await withEmulator(async (emulator) => {
      const bad = { samples: new Int16Array(800), sampleRate: 8000, channels: 1, startMs: 0 };
      const { error } = await collect(sttFor(emulator).transcribe(from([threeUtterances[0]!, bad])));
      expect(error).toBeInstanceOf(AudioFormatError);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('passes an error of the audio source on as a VoxError and closes the recognizer', async () => {
    await withEmulator(async (emulator) => {
      const failing = paced(threeUtterances.slice(0, 5));
      const audio$ = new (await import('rxjs')).Observable<(typeof threeUtterances)[number]>((subscriber) => {
        const inner = failing.subscribe({
          next: (f) => subscriber.next(f),
          complete: () => subscriber.error(new Error('microphone unplugged')),
        });
        return () => inner.unsubscribe();
      });
      const { error } = await collect(sttFor(emulator).transcribe(audio$));
      expect(VoxError.isInstance(error)).toBe(true);
      expect(error?.message).toBe('microphone unplugged');
      await emulator.waitForNoOpenConnections();
    });
  });
});
