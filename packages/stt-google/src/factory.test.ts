import { ConfigError, ProviderRegistry } from '@voxduplex/core';
import { describe, expect, test } from 'vitest';
import { googleSttFactory } from './factory';
import { GoogleStt } from './google-stt';

describe('googleSttFactory', () => {
  test('builds a GoogleStt from registry options', () => {
    const registry = new ProviderRegistry().register('stt', 'google', googleSttFactory);
    const stt = registry.create('stt', { provider: 'google', language: 'de-DE', sampleRate: 8000 });
    expect(stt).toBeInstanceOf(GoogleStt);
    expect(stt).toMatchObject({ name: 'google', sampleRate: 8000, specificationVersion: 'v1' });
  });

  test('reports every bad option as a ConfigError, unknown keys included', () => {
    const registry = new ProviderRegistry().register('stt', 'google', googleSttFactory);
    const attempt = () =>
      registry.create('stt', { provider: 'google', sampleRate: 3, rotateAfterMs: 400_000, langauge: 'en' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).issues).toHaveLength(3);
      expect((error as ConfigError).issues.join()).toMatch(
        /sampleRate.*rotateAfterMs|rotateAfterMs.*sampleRate/,
      );
    }
  });

  test('the constructor validates too', () => {
    expect(() => new GoogleStt({ chunkMs: 5 })).toThrow(ConfigError);
  });
});
