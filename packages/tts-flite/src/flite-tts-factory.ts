import type { ProviderFactory } from '@voxduplex/core';
import { z } from 'zod';
import { FliteTts } from './flite-tts';
import { FLITE_VOICES, type FliteVoice, SPEAKING_RATE_RANGE } from './voices';

/** Plain options for {@link fliteTtsFactory}, as they come from configuration. */
export interface FliteTtsFactoryOptions {
  readonly voice?: FliteVoice | undefined;
  readonly speakingRate?: number | undefined;
  readonly poolSize?: number | undefined;
  readonly chunkMs?: number | undefined;
  readonly extraWorkerIdleMs?: number | undefined;
}

const voiceNames = Object.keys(FLITE_VOICES) as [FliteVoice, ...FliteVoice[]];

const optionsSchema: z.ZodType<FliteTtsFactoryOptions> = z
  .object({
    voice: z.enum(voiceNames).optional(),
    speakingRate: z.number().min(SPEAKING_RATE_RANGE.min).max(SPEAKING_RATE_RANGE.max).optional(),
    poolSize: z.number().int().min(1).max(16).optional(),
    chunkMs: z.number().min(20).max(100).optional(),
    extraWorkerIdleMs: z.number().min(0).max(3_600_000).optional(),
  })
  .strict();

/**
 * Registers Flite with a `ProviderRegistry`: `registry.register('tts', 'flite', fliteTtsFactory)`,
 * then `registry.create('tts', { provider: 'flite', voice: 'rms' })`. Invalid options become a
 * `ConfigError` listing every problem.
 */
export const fliteTtsFactory: ProviderFactory<'tts', FliteTtsFactoryOptions> = {
  options: optionsSchema,
  create: (options) =>
    new FliteTts({
      ...(options.voice === undefined ? {} : { voice: options.voice }),
      ...(options.speakingRate === undefined ? {} : { speakingRate: options.speakingRate }),
      ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      ...(options.chunkMs === undefined ? {} : { chunkMs: options.chunkMs }),
      ...(options.extraWorkerIdleMs === undefined ? {} : { extraWorkerIdleMs: options.extraWorkerIdleMs }),
    }),
};
