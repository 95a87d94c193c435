import type { ProviderFactory } from '@voxduplex/core';
import { z } from 'zod';
import { DemoBrain } from './demo-brain';

/** Plain options for {@link demoBrainFactory}, as they come from configuration. */
export interface DemoBrainFactoryOptions {
  readonly timeToFirstTokenMs?: number | undefined;
  readonly tokensPerSecond?: number | undefined;
  readonly timeZone?: string | undefined;
}

const optionsSchema: z.ZodType<DemoBrainFactoryOptions> = z
  .object({
    timeToFirstTokenMs: z.number().min(0).optional(),
    tokensPerSecond: z.number().positive().optional(),
    timeZone: z.string().optional(),
  })
  .strict();

/**
 * Registers the demo brain with a `ProviderRegistry`:
 * `registry.register('llm', 'demo', demoBrainFactory)`, then
 * `registry.create('llm', { provider: 'demo', tokensPerSecond: 20 })`.
 */
export const demoBrainFactory: ProviderFactory<'llm', DemoBrainFactoryOptions> = {
  options: optionsSchema,
  create: (options) =>
    new DemoBrain({
      ...(options.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: options.timeToFirstTokenMs }),
      ...(options.tokensPerSecond === undefined ? {} : { tokensPerSecond: options.tokensPerSecond }),
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    }),
};
