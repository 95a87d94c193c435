import type { ProviderFactory } from '@voxduplex/core';
import { AzureStt } from './azure-stt';
import { type AzureSttOptions, azureSttOptionsSchema } from './options';

/**
 * Registry factory: `registry.register('stt', 'azure', azureSttFactory)`, then
 * `registry.create('stt', { provider: 'azure', key, region })`. Options are checked by
 * {@link azureSttOptionsSchema}; failures become a `ConfigError`.
 */
export const azureSttFactory: ProviderFactory<'stt', AzureSttOptions> = {
  options: azureSttOptionsSchema as unknown as ProviderFactory<'stt', AzureSttOptions>['options'],
  create: (options) => new AzureStt(options),
};
