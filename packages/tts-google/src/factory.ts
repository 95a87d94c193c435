import type { ProviderFactory } from '@voxduplex/core';
import { GoogleTts } from './google-tts';
import { type GoogleTtsOptions, googleTtsOptionsSchema } from './options';

/**
 * Registry factory: `registry.register('tts', 'google', googleTtsFactory)`, then
 * `registry.create('tts', { provider: 'google', voice: 'en-US-Chirp3-HD-Charon' })`. Options are
 * validated by {@link googleTtsOptionsSchema}; failures become a `ConfigError`.
 */
export const googleTtsFactory: ProviderFactory<'tts', GoogleTtsOptions> = {
  options: googleTtsOptionsSchema,
  create: (options) => new GoogleTts(options),
};
