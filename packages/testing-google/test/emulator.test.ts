import { SpeechClient } from '@google-cloud/speech';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GoogleSpeechEmulator, googleStatusText } from '../src/index';

process.env.METADATA_SERVER_DETECTION = 'none';

let emulator: GoogleSpeechEmulator;
let client: SpeechClient;
beforeAll(async () => {
  emulator = await GoogleSpeechEmulator.start();
  client = new SpeechClient(emulator.clientOptions());
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

const config = {
  streamingConfig: { config: { encoding: 'LINEAR16', sampleRateHertz: 16000, languageCode: 'en-US' } },
};

/** Opens a call with the real client and resolves with its error (or 'end'). */
function openCall(): { stream: ReturnType<SpeechClient['_streamingRecognize']>; ended: Promise<unknown> } {
  const stream = client._streamingRecognize();
  const ended = new Promise((resolve) => {
    stream.on('error', resolve);
    stream.on('end', () => resolve('end'));
    stream.on('data', () => {});
  });
  stream.write(config);
  return { stream, ended };
}

describe('GoogleSpeechEmulator', () => {
  test('ends a stream with OUT_OF_RANGE once 305 s of audio arrived, counted in audio time', async () => {
    const { stream, ended } = openCall();
    const second = Buffer.alloc(25_600);
    for (let i = 0; i < 306 * 1.25; i++) stream.write({ audioContent: second });
    const error = await ended;

    expect(error).toMatchObject({ code: 11, details: googleStatusText.streamTooLong });
    expect(emulator.calls.at(-1)?.audioMs).toBeGreaterThan(305_000);
    expect(emulator.calls.at(-1)?.audioMs).toBeLessThanOrEqual(305_800);
  });

  test('answers a chunk over 25,600 bytes with INVALID_ARGUMENT and its real text', async () => {
    const { stream, ended } = openCall();
    stream.write({ audioContent: Buffer.alloc(25_602) });
    expect(await ended).toMatchObject({ code: 3, details: googleStatusText.chunkTooLarge(25_602) });
  });

  test('times out a stream that gets no audio, in wall-clock time', async () => {
    emulator.queueRecognize({ audioTimeoutMs: 50 });
    const { ended } = openCall();
    expect(await ended).toMatchObject({ code: 11, details: googleStatusText.audioTimeout });
  });

  test('records chunk sizes, a client cancel, and a clean half-close', async () => {
    const cancelled = openCall();
    cancelled.stream.write({ audioContent: Buffer.alloc(640) });
    cancelled.stream.write({ audioContent: Buffer.alloc(320) });
    await emulator.until(() => emulator.calls.at(-1)?.chunkBytes.length === 2);
    cancelled.stream.cancel();
    await emulator.until(() => emulator.calls.at(-1)?.state !== 'open');
    expect(emulator.calls.at(-1)).toMatchObject({ chunkBytes: [640, 320], state: 'cancelled' });

    const closed = openCall();
    closed.stream.end();
    expect(await closed.ended).toBe('end');
    expect(emulator.calls.at(-1)?.state).toBe('ok');
    expect(emulator.openCalls).toEqual([]);
  });

  test('a killed server drops the call (the client sees CANCELLED) and refuses new ones until restarted', async () => {
    const { stream, ended } = openCall();
    stream.write({ audioContent: Buffer.alloc(320) });
    await emulator.until(() => emulator.calls.at(-1)?.chunkBytes.length === 1);
    emulator.kill();
    expect(await ended).toMatchObject({ code: 1 });
    expect(emulator.calls.at(-1)?.state).toBe('killed');
    expect(await openCall().ended).toMatchObject({ code: 14 });
    await emulator.restart();
    // The client's channel reconnects with its own backoff; until then calls fail fast with UNAVAILABLE.
    let outcome: unknown;
    for (let attempt = 0; attempt < 40 && outcome !== 'end'; attempt++) {
      const again = openCall();
      again.stream.end();
      outcome = await again.ended;
      if (outcome !== 'end') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(outcome).toBe('end');
  });
});
