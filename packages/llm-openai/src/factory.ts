import type { ProviderFactory } from '@voxduplex/core';
import { OpenAiLlm } from './openai-llm';
import { type OpenAiLlmOptions, openAiLlmOptionsSchema } from './options';

/**
 * Registry factory: `registry.register('llm', 'openai', openAiLlmFactory)`, then
 * `registry.create('llm', { provider: 'openai', model: 'gpt-4o-mini' })`. Options are checked
 * with {@link openAiLlmOptionsSchema}; a bad key or value is a `ConfigError`.
 */
export const openAiLlmFactory: ProviderFactory<'llm', OpenAiLlmOptions> = {
  options: openAiLlmOptionsSchema,
  create: (options) => new OpenAiLlm(options),
};
