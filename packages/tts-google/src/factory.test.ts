import { ConfigError, ProviderRegistry } from '@voxduplex/core';
import { describe, expect, test } from 'vitest';
import { googleTtsFactory } from './factory';
import { GoogleTts, isStreamingVoice } from './google-tts';

describe('googleTtsFactory', () => {
  test('builds a GoogleTts from registry options', () => {
    const registry = new ProviderRegistry().register('tts', 'google', googleTtsFactory);
    const tts = registry.create('tts', {
      provider: 'google',
      voice: 'de-DE-Chirp3-HD-Kore',
      sampleRate: 16000,
    });
    expect(tts).toBeInstanceOf(GoogleTts);
    expect(tts).toMatchObject({ name: 'google', sampleRate: 16000 });
  });

  test('bad options are a ConfigError naming each problem', () => {
    const registry = new ProviderRegistry().register('tts', 'google', googleTtsFactory);
    expect(() =>
      registry.create('tts', { provider: 'google', streaming: 'sometimes', speakingRate: 9 }),
    ).toThrow(/streaming.*speakingRate|speakingRate.*streaming/);
    expect(() => new GoogleTts({ sampleRate: 100 })).toThrow(ConfigError);
  });

  test('knows which voice families stream', () => {
    expect(isStreamingVoice('en-US-Chirp3-HD-Charon')).toBe(true);
    expect(isStreamingVoice('en-US-Journey-F')).toBe(true);
    expect(isStreamingVoice('en-US-Neural2-F')).toBe(false);
  });
});
