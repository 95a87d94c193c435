import { ConfigError, ProviderRegistry } from '@voxduplex/core';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AzureStt, azureSttFactory } from '../src/index';
import { collect, emulatorOptions, finals, framesOf, sttFor, withEmulator } from './helpers';

const oneUtterance = framesOf([{ utterance: 4, ms: 500 }, { silenceMs: 800 }]);

describe('AzureStt options reach the service', () => {
  it('sends language, profanity and output format, and reads the confidence of detailed results', async () => {
    await withEmulator(async (emulator) => {
      const stt = sttFor(emulator, { language: 'de-DE', profanity: 'removed', outputFormat: 'detailed' });
      const { events } = await collect(stt.transcribe(from(oneUtterance)));
      expect(finals(events)).toEqual([
        expect.objectContaining({ text: 'utterance number 4', confidence: 0.875, language: 'de-DE' }),
      ]);
      expect(emulator.connections[0]!.query).toMatchObject({
        language: 'de-DE',
        profanity: 'removed',
        format: 'detailed',
      });
      await emulator.waitForNoOpenConnections();
    });
  });

  it('splits phrases at a shorter pause when the segmentation silence timeout is lowered', async () => {
    await withEmulator(async (emulator) => {
      const frames = framesOf([
        { utterance: 1, ms: 400 },
        { silenceMs: 300 },
        { utterance: 2, ms: 400 },
        { silenceMs: 800 },
      ]);
      const merged = await collect(sttFor(emulator).transcribe(from(frames)));
      const split = await collect(
        sttFor(emulator, { segmentationSilenceTimeoutMs: 200 }).transcribe(from(frames)),
      );
      expect(finals(merged.events).map((t) => t.text)).toEqual(['utterance number 1']);
      expect(finals(split.events).map((t) => t.text)).toEqual(['utterance number 1', 'utterance number 2']);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('sends the phrase list in the speech context', async () => {
    await withEmulator(async (emulator) => {
      await collect(sttFor(emulator, { phrases: ['voxduplex', 'barge-in'] }).transcribe(from(oneUtterance)));
      const context = JSON.stringify(emulator.connections[0]!.contexts);
      expect(context).toContain('voxduplex');
      expect(context).toContain('barge-in');
      await emulator.waitForNoOpenConnections();
    });
  });

  it('reports the detected language when several languages are given', async () => {
    await withEmulator(async (emulator) => {
      const { events, error } = await collect(
        sttFor(emulator, { languages: ['fr-FR', 'de-DE'] }).transcribe(from(oneUtterance)),
      );
      expect(error).toBeUndefined();
      expect(finals(events).map((t) => t.language)).toEqual(['fr-FR']);
      await emulator.waitForNoOpenConnections();
    });
  });

  it('connects through a full endpoint URL and authenticates with a bearer token', async () => {
    await withEmulator(
      async (emulator) => {
        const token = emulator.issueToken(60_000);
        const stt = new AzureStt({
          ...emulatorOptions(emulator),
          host: undefined,
          key: undefined,
          endpoint: emulator.recognitionEndpoint.toString(),
          authorizationToken: token,
        });
        const { events, error } = await collect(stt.transcribe(from(oneUtterance)));
        expect(error).toBeUndefined();
        expect(finals(events)).toHaveLength(1);
        expect(emulator.connections[0]!.token).toBe(token);
        await emulator.waitForNoOpenConnections();
      },
      { keys: ['no-key-accepted'] },
    );
  });

  it('rejects options it cannot use with a ConfigError naming each problem', () => {
    expect(() => new AzureStt({ region: 'westeurope' })).toThrow(ConfigError);
    expect(() => new AzureStt({ key: 'k' })).toThrow(/region, an endpoint or a host/);
    expect(() => new AzureStt({ key: 'k', region: 'x', maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new AzureStt({ key: 'k', endpoint: 'ws://127.0.0.1:9/' })).toThrow(/endpoint needs a path/);
  });

  it('is built by the provider registry from plain options', () => {
    const registry = new ProviderRegistry().register('stt', 'azure', azureSttFactory);
    const stt = registry.create('stt', { provider: 'azure', key: 'k', region: 'westeurope' });
    expect(stt).toMatchObject({ name: 'azure', sampleRate: 16000, specificationVersion: 'v1' });
    expect(() => registry.create('stt', { provider: 'azure', key: 'k' })).toThrow(ConfigError);
  });
});
