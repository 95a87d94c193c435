import { ConfigError, ProviderRegistry } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { FliteTts } from './flite-tts';
import { fliteTtsFactory } from './flite-tts-factory';

describe('fliteTtsFactory', () => {
  const registry = new ProviderRegistry().register('tts', 'flite', fliteTtsFactory);

  it('builds a Flite provider from plain options', async () => {
    const tts = registry.create('tts', { provider: 'flite', voice: 'kal' });
    expect(tts).toBeInstanceOf(FliteTts);
    expect(tts.sampleRate).toBe(8000);
    await (tts as FliteTts).close();
  });

  it('lists every invalid option in one ConfigError', () => {
    let error: unknown;
    try {
      registry.create('tts', { provider: 'flite', voice: 'nova', poolSize: 0, colour: 'blue' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    expect(issues).toMatch(/voice/);
    expect(issues).toMatch(/poolSize/);
    expect(issues).toMatch(/colour/);
  });
});
