import type { ProviderFactory } from '@voxduplex/core';
import { AzureTts } from './azure-tts';
import { azureTtsOptionsSchema, type ResolvedAzureTtsOptions } from './options';

/**
 * Registry factory: `registry.register('tts', 'azure', azureTtsFactory)`, then
 * `registry.create('tts', { provider: 'azure', key, region, voice })`. Options are checked by
 * {@link azureTtsOptionsSchema}; failures become a `ConfigError`.
 */
export const azureTtsFactory: ProviderFactory<'tts', ResolvedAzureTtsOptions> = {
  options: azureTtsOptionsSchema,
  create: (options) => new AzureTts(options),
};
