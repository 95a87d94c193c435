import type { ProviderFactory } from '@voxduplex/core';
import { type ResolvedSileroVadOptions, sileroVadOptionsSchema } from './options';
import { SileroVad } from './silero-vad';

/**
 * Registry factory: `registry.register('vad', 'silero', sileroVadFactory)`, then
 * `registry.create('vad', { provider: 'silero', minSilenceMs: 300 })`.
 */
export const sileroVadFactory: ProviderFactory<'vad', ResolvedSileroVadOptions> = {
  options: sileroVadOptionsSchema,
  create: (options) => new SileroVad(options),
};
