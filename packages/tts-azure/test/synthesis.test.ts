import { ConfigError, ProviderRegistry, VoxError } from '@voxduplex/core';
import { AzureSpeechEmulator } from '@voxduplex/testing-azure';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureTts, azureTtsFactory } from '../src/index';
import { collect, totalSamples, ttsFor } from './helpers';

let emulator: AzureSpeechEmulator;
beforeEach(async () => {
  emulator = await AzureSpeechEmulator.start({ keys: ['test-key'] });
});
afterEach(async () => {
  await emulator.close();
});

describe('AzureTts through the real SDK', () => {
  it('streams 24 kHz PCM with the word boundaries inside the chunks they start in', async () => {
    const tts = ttsFor(emulator);
    const { chunks, error } = await collect(tts.synthesize('hello big world'));
    expect(error).toBeUndefined();
    expect(tts.sampleRate).toBe(24000);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.sampleRate === 24000)).toBe(true);
    // 3 words × (200 ms of speech + 50 ms gap) at 24 kHz.
    expect(totalSamples(chunks)).toBe(3 * 250 * 24);
    expect(chunks.flatMap((c) => c.words ?? [])).toEqual([
      { word: 'hello', startMs: 0, durationMs: 200 },
      { word: 'big', startMs: 250, durationMs: 200 },
      { word: 'world', startMs: 500, durationMs: 200 },
    ]);
    let atMs = 0;
    for (const chunk of chunks) {
      const endMs = atMs + (chunk.samples.length / 24000) * 1000;
      for (const word of chunk.words ?? []) {
        expect(word.startMs).toBeGreaterThanOrEqual(atMs);
        expect(word.startMs).toBeLessThan(endMs);
      }
      atMs = endMs;
    }
    expect(emulator.connections[0]!.contexts).toEqual([
      expect.objectContaining({
        synthesis: expect.objectContaining({
          audio: expect.objectContaining({ outputFormat: 'raw-24khz-16bit-mono-pcm' }),
        }),
      }),
    ]);
    await emulator.waitForNoOpenConnections();
  });

  it('asks for 16 kHz PCM when configured so', async () => {
    const tts = ttsFor(emulator, { sampleRate: 16000 });
    const { chunks } = await collect(tts.synthesize('one two'));
    expect(tts.sampleRate).toBe(16000);
    expect(totalSamples(chunks)).toBe(2 * 250 * 16);
    expect(JSON.stringify(emulator.connections[0]!.contexts)).toContain('raw-16khz-16bit-mono-pcm');
    await emulator.waitForNoOpenConnections();
  });

  it('sends the voice and speaking rate as SSML, escaping the text', async () => {
    const { chunks } = await collect(
      ttsFor(emulator, { voice: 'en-GB-SoniaNeural' }).synthesize('fish & <chips>', {
        speakingRate: 1.25,
        voice: 'de-DE-KatjaNeural',
      }),
    );
    const ssml = emulator.connections[0]!.ssml[0]!;
    expect(ssml).toContain('<voice name="de-DE-KatjaNeural">');
    expect(ssml).toContain('xml:lang="de-DE"');
    expect(ssml).toContain('<prosody rate="+25%">fish &amp; &lt;chips&gt;</prosody>');
    // The emulator speaks faster at +25 %: 200 ms words become 160 ms.
    expect(chunks.flatMap((c) => c.words ?? []).map((w) => [w.word, w.durationMs])).toEqual([
      ['fish', 160],
      ['&', 160],
      ['<chips>', 160],
    ]);
    await emulator.waitForNoOpenConnections();
  });

  it('closes the synthesizer and its socket when the caller unsubscribes mid-synthesis', async () => {
    emulator.fail('synthesis', { kind: 'slow', delayMs: 20 });
    let received = 0;
    const subscription = ttsFor(emulator)
      .synthesize('a long sentence that takes a while to say out loud')
      .subscribe(() => received++);
    await expect.poll(() => received, { timeout: 5000 }).toBeGreaterThan(0);
    subscription.unsubscribe();
    await emulator.waitForNoOpenConnections();
    expect(received).toBeLessThan(10 * 4);
  });

  it('completes at once, opening nothing, for empty text', async () => {
    const { chunks, error } = await collect(ttsFor(emulator).synthesize('   '));
    expect([chunks, error]).toEqual([[], undefined]);
    expect(emulator.connections).toHaveLength(0);
  });

  it('authenticates with a token from the refresh callback', async () => {
    const token = emulator.issueToken(60_000);
    const tts = ttsFor(emulator, { key: undefined, refreshToken: async () => token });
    const { error } = await collect(tts.synthesize('hi'));
    expect(error).toBeUndefined();
    expect(emulator.connections[0]!.token).toBe(token);
    await emulator.waitForNoOpenConnections();
  });

  it('rejects unusable options with a ConfigError and is built by the registry', () => {
    expect(() => new AzureTts({ key: 'k' })).toThrow(ConfigError);
    expect(() => new AzureTts({ key: 'k', region: 'x', sampleRate: 44100 as 24000 })).toThrow(/sampleRate/);
    const registry = new ProviderRegistry().register('tts', 'azure', azureTtsFactory);
    expect(
      registry.create('tts', { provider: 'azure', key: 'k', region: 'westeurope', sampleRate: 16000 }),
    ).toMatchObject({
      name: 'azure',
      sampleRate: 16000,
    });
    expect(() => registry.create('tts', { provider: 'azure', region: 'x' })).toThrow(ConfigError);
  });
});

describe('AzureTts failures through the real SDK', () => {
  it('fails with a retryable unavailable error when the socket closes with 1011 mid-stream', async () => {
    emulator.fail('synthesis', { kind: 'close', code: 1011, afterChunks: 2 });
    const { chunks, error } = await collect(ttsFor(emulator).synthesize('hello big world'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(error).toMatchObject({ name: 'ProviderUnavailableError', retryable: true, source: 'tts:azure' });
    await emulator.waitForNoOpenConnections();
  });

  it('times out and closes the synthesizer when the service stalls mid-stream', async () => {
    emulator.fail('synthesis', { kind: 'stall', afterChunks: 2 });
    const { chunks, error } = await collect(
      ttsFor(emulator, { idleTimeoutMs: 300 }).synthesize('hello big world'),
    );
    expect(chunks).toHaveLength(2);
    expect(error).toMatchObject({ name: 'ProviderTimeoutError' });
    await emulator.waitForNoOpenConnections();
  });

  it('times out when no audio comes at all', async () => {
    emulator.fail('synthesis', { kind: 'stall', afterChunks: 0 });
    const { error } = await collect(ttsFor(emulator, { firstChunkTimeoutMs: 300 }).synthesize('hello'));
    expect(error).toMatchObject({
      name: 'ProviderTimeoutError',
      message: expect.stringMatching(/first audio/),
    });
    await emulator.waitForNoOpenConnections();
  });

  it('reports a refused key (401 on upgrade) as a ProviderAuthError after one upgrade', async () => {
    const { error } = await collect(ttsFor(emulator, { key: 'wrong' }).synthesize('hello'));
    expect(VoxError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name: 'ProviderAuthError', code: 'provider_auth', retryable: false });
    expect(emulator.connections.map((c) => c.status)).toEqual([401]);
    await emulator.waitForNoOpenConnections();
  });

  it('reports 429 on upgrade as a retryable ProviderQuotaError', async () => {
    emulator.fail('synthesis', { kind: 'reject-upgrade', status: 429, retryAfterSeconds: 2 });
    const { error } = await collect(ttsFor(emulator).synthesize('hello'));
    expect(error).toMatchObject({ name: 'ProviderQuotaError', code: 'provider_quota', retryable: true });
    expect(emulator.connections.map((c) => c.status)).toEqual([429]);
    await emulator.waitForNoOpenConnections();
  });

  it('still delivers all audio from a slow service', async () => {
    emulator.fail('synthesis', { kind: 'slow', delayMs: 15 });
    const { chunks, error } = await collect(ttsFor(emulator).synthesize('one two'));
    expect(error).toBeUndefined();
    expect(totalSamples(chunks)).toBe(2 * 250 * 24);
    await emulator.waitForNoOpenConnections();
  });
});
