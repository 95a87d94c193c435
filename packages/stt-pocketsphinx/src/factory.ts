import type { ProviderFactory } from '@voxduplex/core';
import { type PocketsphinxSttOptions, pocketsphinxSttOptionsSchema } from './options';
import { PocketsphinxStt } from './pocketsphinx-stt';

/**
 * Registry factory: `registry.register('stt', 'pocketsphinx', pocketsphinxSttFactory)`, then
 * `registry.create('stt', { provider: 'pocketsphinx', endpointSilenceMs: 400 })`.
 */
export const pocketsphinxSttFactory: ProviderFactory<'stt', PocketsphinxSttOptions> = {
  options: pocketsphinxSttOptionsSchema,
  create: (options) => new PocketsphinxStt(options),
};
