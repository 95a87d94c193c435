import type { TtsProvider } from '../tts';
import { ChainHealth } from './chain-health';
import type { FallbackChain } from './fallback-chain';
import { type FallbackOptions, resolveFallbackOptions } from './fallback-options';
import { firstOutputFallback } from './first-output-fallback';
import { probeTts } from './probes';

/** A {@link TtsProvider} that is a fallback chain of others. */
export interface FallbackTts extends TtsProvider, FallbackChain<TtsProvider> {
  close(): Promise<void>;
}

/**
 * A TTS that falls back per sentence: each `synthesize` request (the session makes one per
 * sentence) starts on the first provider in service and moves to the next when one fails
 * before its first audio chunk. A provider that fails after its first chunk ends that
 * sentence with its typed error (the listener already heard part of it). The providers may
 * speak at different sample rates: every chunk carries its own; `sampleRate` is the first
 * provider's.
 *
 * @example
 * ```ts
 * const tts = fallbackTts([azureTts, fliteTts]);
 * ```
 */
export function fallbackTts(
  providers: readonly TtsProvider[],
  options: FallbackOptions<TtsProvider> = {},
): FallbackTts {
  const health = new ChainHealth(
    'tts',
    providers,
    resolveFallbackOptions('tts', providers, options),
    probeTts,
  );
  return {
    ...health.surface(),
    sampleRate: providers[0]!.sampleRate,
    synthesize: (text, requestOptions) =>
      firstOutputFallback(health, (tts) => tts.synthesize(text, requestOptions)),
  };
}
