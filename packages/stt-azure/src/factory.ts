import type { ProviderFactory } from '@voxduplex/core';
import { AzureStt } from './azure-stt';
import { azureSttOptionsSchema, type ResolvedAzureSttOptions } from './options';

/**
 * Registry factory: `registry.register('stt', 'azure', azureSttFactory)`, then
 * `registry.create('stt', { provider: 'azure', key, region })`. Options are checked by
 * {@link azureSttOptionsSchema}; failures become a `ConfigError`.
 */
export const azureSttFactory: ProviderFactory<'stt', ResolvedAzureSttOptions> = {
  options: azureSttOptionsSchema,
  create: (options) => new AzureStt(options),
};
