import type { ProviderFactory } from '@voxduplex/core';
import { GoogleStt } from './google-stt';
import { type GoogleSttOptions, googleSttOptionsSchema } from './options';

/**
 * Registry factory: `registry.register('stt', 'google', googleSttFactory)`, then
 * `registry.create('stt', { provider: 'google', language: 'de-DE' })`. Options are validated by
 * {@link googleSttOptionsSchema}; failures become a `ConfigError`.
 */
export const googleSttFactory: ProviderFactory<'stt', GoogleSttOptions> = {
  options: googleSttOptionsSchema,
  create: (options) => new GoogleStt(options),
};
