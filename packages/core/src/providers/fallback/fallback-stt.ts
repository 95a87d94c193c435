import { Observable } from 'rxjs';
import { ConfigError } from '../../errors/families';
import type { SttEvent } from '../../frames/transcript';
import type { SttProvider } from '../stt';
import { ChainHealth } from './chain-health';
import type { FallbackChain } from './fallback-chain';
import { type FallbackOptions, resolveFallbackOptions } from './fallback-options';
import { FallbackRecognition } from './fallback-recognition';
import { probeStt } from './probes';

/** An {@link SttProvider} that is a fallback chain of others. */
export interface FallbackStt extends SttProvider, FallbackChain<SttProvider> {
  close(): Promise<void>;
}

/**
 * A recognizer that streams to the first recognizer of `providers` in service and, when it
 * fails, moves the stream to the next one with the audio since the last final replayed first
 * (at most `maxReplayMs`): the words being spoken are recognized again, no final is lost or
 * repeated. A recognizer back in service takes the stream over at the next final. Every
 * recognizer must take the same sample rate (the session feeds one).
 *
 * @example
 * ```ts
 * const stt = fallbackStt([googleStt, azureStt], { probe: { initialDelayMs: 2000 } });
 * ```
 */
export function fallbackStt(
  providers: readonly SttProvider[],
  options: FallbackOptions<SttProvider> = {},
): FallbackStt {
  const resolved = resolveFallbackOptions('stt', providers, options);
  const sampleRates = [...new Set(providers.map((stt) => stt.sampleRate))];
  if (sampleRates.length > 1)
    throw new ConfigError('Invalid stt fallback chain', [
      `every recognizer must take the same sample rate; got ${providers.map((stt) => `${stt.name} ${stt.sampleRate} Hz`).join(', ')}`,
    ]);
  const health = new ChainHealth('stt', providers, resolved, probeStt);
  return {
    ...health.surface(),
    sampleRate: sampleRates[0]!,
    transcribe: (audio$) =>
      health.inUse(
        new Observable<SttEvent>((subscriber) => new FallbackRecognition(health, audio$, subscriber).start()),
      ),
  };
}
