import type { LlmProvider } from '../llm';
import { ChainHealth } from './chain-health';
import type { FallbackChain } from './fallback-chain';
import { type FallbackOptions, resolveFallbackOptions } from './fallback-options';
import { firstOutputFallback } from './first-output-fallback';
import { probeLlm } from './probes';

/** An {@link LlmProvider} that is a fallback chain of others. */
export interface FallbackLlm extends LlmProvider, FallbackChain<LlmProvider> {
  close(): Promise<void>;
}

/**
 * An LLM that answers with the first provider of `providers` in service, and restarts the
 * reply on the next one when a provider fails *before its first token* (an error, or nothing
 * within `firstOutputTimeoutMs`). Once a token went out (towards the sentence chunker and TTS),
 * a failure ends the reply with that provider's typed error: the session ends the turn and
 * reports it. A failed provider leaves service (`switched` on `health$`), is probed in the
 * background and comes back when it answers (`recovered`).
 *
 * @example
 * ```ts
 * const llm = fallbackLlm([openAiLlm, localLlm], { logger: consoleLogger() });
 * const session = createVoiceSession({ stt, llm, tts, instructions });
 * session.on('provider-switched', ({ from, to, error }) => console.warn(`${from} → ${to}`, error.code));
 * ```
 */
export function fallbackLlm(
  providers: readonly LlmProvider[],
  options: FallbackOptions<LlmProvider> = {},
): FallbackLlm {
  const health = new ChainHealth(
    'llm',
    providers,
    resolveFallbackOptions('llm', providers, options),
    probeLlm,
  );
  return {
    ...health.surface(),
    generate: (request) => firstOutputFallback(health, (llm) => llm.generate(request)),
  };
}
