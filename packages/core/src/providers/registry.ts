import type { z } from 'zod';
import { ConfigError, describeSchemaIssues } from '../errors/families';
import { fallbackLlm } from './fallback/fallback-llm';
import type { FallbackOptions } from './fallback/fallback-options';
import { fallbackStt } from './fallback/fallback-stt';
import { fallbackTts } from './fallback/fallback-tts';
import type { FallbackKind } from './health';
import type { LlmProvider } from './llm';
import type { SttProvider } from './stt';
import type { TtsProvider } from './tts';
import type { VadProvider } from './vad';

/** The provider families a registry can build. */
export interface ProviderKinds {
  stt: SttProvider;
  llm: LlmProvider;
  tts: TtsProvider;
  vad: VadProvider;
}
export type ProviderKind = keyof ProviderKinds;

/** How to build one provider from plain (e.g. environment-derived) options. */
export interface ProviderFactory<K extends ProviderKind, Options = unknown> {
  /** Validates options before `create` sees them; failures become a {@link ConfigError}. */
  readonly options?: z.ZodType<Options>;
  create(options: Options): ProviderKinds[K];
}

const FALLBACK_CHAINS: {
  readonly [K in FallbackKind]: (
    providers: readonly ProviderKinds[K][],
    options?: FallbackOptions<ProviderKinds[K]>,
  ) => ProviderKinds[K];
} = { stt: fallbackStt, llm: fallbackLlm, tts: fallbackTts };

/** Selects a provider by name, with its options beside it: `{ provider: 'google', language: 'en-US' }`. */
export type ProviderSelection = { readonly provider: string } & Readonly<Record<string, unknown>>;

/**
 * Builds providers from configuration by name, so a gateway picks `stt: { provider: 'azure' }`
 * from its config without `if` chains. Adapters export a factory; the app registers the ones it
 * installed.
 *
 * @example
 * ```ts
 * const providers = new ProviderRegistry()
 *   .register('stt', 'pocketsphinx', pocketsphinxSttFactory)
 *   .register('tts', 'flite', fliteTtsFactory);
 * const stt = providers.create('stt', { provider: process.env.STT ?? 'pocketsphinx' });
 * ```
 */
export class ProviderRegistry {
  readonly #factories = new Map<string, ProviderFactory<ProviderKind, unknown>>();

  register<K extends ProviderKind, Options>(
    kind: K,
    name: string,
    factory: ProviderFactory<K, Options>,
  ): this {
    this.#factories.set(`${kind}:${name}`, factory as ProviderFactory<ProviderKind, unknown>);
    return this;
  }

  has(kind: ProviderKind, name: string): boolean {
    return this.#factories.has(`${kind}:${name}`);
  }

  /** Names registered for a kind, in registration order. */
  names(kind: ProviderKind): string[] {
    const prefix = `${kind}:`;
    return [...this.#factories.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
  }

  create<K extends ProviderKind>(kind: K, selection: ProviderSelection): ProviderKinds[K] {
    const { provider, ...options } = selection;
    const factory = this.#factories.get(`${kind}:${provider}`);
    if (!factory) {
      const known = this.names(kind);
      throw new ConfigError(`Unknown ${kind} provider '${provider}'`, [
        known.length > 0 ? `registered: ${known.join(', ')}` : `no ${kind} provider is registered`,
      ]);
    }
    let parsed: unknown = options;
    if (factory.options) {
      const result = factory.options.safeParse(options);
      if (!result.success) {
        throw new ConfigError(
          `Invalid options for ${kind} provider '${provider}'`,
          describeSchemaIssues(result.error),
        );
      }
      parsed = result.data;
    }
    return factory.create(parsed) as ProviderKinds[K];
  }

  /**
   * Builds each selection, in order, and returns them as one fallback chain (`fallbackStt`,
   * `fallbackLlm`, `fallbackTts`) with `options`; a list of one is that provider itself. A selection that
   * fails to build closes the ones already built and throws its {@link ConfigError}.
   *
   * `decorate` wraps each provider before it joins the chain — a tracing or metering wrapper
   * there sees which provider served each request, and the chain keeps its `health$`.
   *
   * @example
   * ```ts
   * // VOX_LLM=openai,demo
   * const llm = providers.createFallback(
   *   'llm',
   *   process.env.VOX_LLM!.split(',').map((provider) => ({ provider })),
   * );
   * ```
   */
  createFallback<K extends FallbackKind>(
    kind: K,
    selections: readonly ProviderSelection[],
    options: FallbackOptions<ProviderKinds[K]> & {
      readonly decorate?: (provider: ProviderKinds[K]) => ProviderKinds[K];
    } = {},
  ): ProviderKinds[K] {
    const { decorate = (provider) => provider, ...chainOptions } = options;
    const built: ProviderKinds[K][] = [];
    try {
      for (const selection of selections) built.push(decorate(this.create(kind, selection)));
      if (built.length === 1) return built[0]!;
      return FALLBACK_CHAINS[kind](built, chainOptions);
    } catch (error) {
      // Best effort: the build error is the one to report.
      for (const provider of built) void Promise.resolve(provider.close?.()).catch(() => undefined);
      throw error;
    }
  }
}
