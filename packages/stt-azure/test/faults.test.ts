import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, finals, framesOf, paced, sttFor, withEmulator } from './helpers';

// Faults of a service that keeps failing, through the real Speech SDK: what the user sees is a
// bounded number of attempts, one error of the right type, audio re-billed no more than the caps,
// and no socket left open.

const sixUtterances = framesOf(
  [1, 2, 3, 4, 5, 6].flatMap((id) => [{ utterance: id, ms: 500 }, { silenceMs: 700 }]),
);
const audioMs = 6 * 1200;
const texts = (ids: number[]) => ids.map((id) => `utterance number ${id}`);

describe('AzureStt against a service that keeps failing', () => {
  it('1011 on every socket after its first interim → ProviderUnavailableError after maxRetries + 1 sockets, re-sent audio within the caps', async () => {
    await withEmulator(async (emulator) => {
      emulator.failEvery('recognition', { kind: 'close', code: 1011, afterHypotheses: 1 });
      const stt = sttFor(emulator, { maxRetries: 3, maxReplayMs: 1000, maxReplayPerMinuteMs: 2000 });
      // Live audio, 100 ms frames 4x faster than real time, as a microphone would give them.
      const { events, error } = await collect(stt.transcribe(paced(sixUtterances, 1, 25)));

      expect(error).toMatchObject({ name: 'ProviderUnavailableError', attempts: 4, retryable: true });
      expect(error?.cause).toMatchObject({ name: 'ProviderUnavailableError' });
      expect(finals(events)).toEqual([]);
      expect(emulator.connections).toHaveLength(4);
      expect(emulator.recognizedAudioMs).toBeLessThanOrEqual(audioMs + 2000);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('a phrase with status Error every time → ProviderUnavailableError with the attempts, not a timeout, even once the audio ended', async () => {
    await withEmulator(async (emulator) => {
      emulator.failEvery('recognition', { kind: 'phrase-error' });
      const { error } = await collect(sttFor(emulator, { maxRetries: 2 }).transcribe(from(sixUtterances)));

      expect(error).toMatchObject({ name: 'ProviderUnavailableError', attempts: 3, retryable: true });
      expect(error?.cause).toMatchObject({ message: expect.stringMatching(/ServiceError/) });
      expect(emulator.connections).toHaveLength(3);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('401 on every upgrade → ProviderAuthError after one attempt', async () => {
    await withEmulator(async (emulator) => {
      emulator.failEvery('recognition', { kind: 'reject-upgrade', status: 401 });
      const { error } = await collect(sttFor(emulator, { maxRetries: 5 }).transcribe(from(sixUtterances)));

      expect(error).toMatchObject({ name: 'ProviderAuthError', code: 'provider_auth', retryable: false });
      expect(emulator.connections).toHaveLength(1);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('429 on every upgrade → ProviderQuotaError once the retries are spent', async () => {
    await withEmulator(async (emulator) => {
      emulator.failEvery('recognition', { kind: 'reject-upgrade', status: 429, retryAfterSeconds: 1 });
      const { error } = await collect(sttFor(emulator, { maxRetries: 2 }).transcribe(from(sixUtterances)));

      expect(error).toMatchObject({ name: 'ProviderQuotaError', code: 'provider_quota', attempts: 3 });
      expect(emulator.connections.map((c) => c.status)).toEqual([429, 429, 429]);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('a flapping endpoint (drops 3 sockets at once, then works) → every final once, no error', async () => {
    await withEmulator(async (emulator) => {
      emulator.fail('recognition', { kind: 'close', code: 1011, afterAudioMs: 0 }, 3);
      const { events, error } = await collect(
        sttFor(emulator, { maxRetries: 4 }).transcribe(paced(sixUtterances, 2)),
      );

      expect(error).toBeUndefined();
      expect(finals(events).map((t) => t.text)).toEqual(texts([1, 2, 3, 4, 5, 6]));
      expect(emulator.connections.slice(0, 3).map((c) => c.closeCode)).toEqual([1011, 1011, 1011]);
      await emulator.waitForNoOpenConnections();
    });
  });
});
