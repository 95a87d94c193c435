import type { Observable } from 'rxjs';
import type { VoxError } from '../errors/vox-error';

/** The provider families a fallback chain can stand in for. */
export type FallbackKind = 'stt' | 'llm' | 'tts';

/**
 * A change in which provider of a fallback chain serves requests.
 *
 * - `switched`: provider `from` failed (`error`) and is now marked unhealthy; new requests of
 *   the chain start on `to`. Emitted once per failure that took `from` out of service, not per
 *   request that met it.
 * - `recovered`: provider `provider` answered again (a background probe or a request), after
 *   `downMs` out of service; requests start on it again if it comes first in the chain.
 *
 * Both describe the chain, which every session using it shares.
 */
export type ProviderHealthEvent =
  | {
      readonly type: 'switched';
      readonly kind: FallbackKind;
      /** The chain's name, e.g. `fallback(openai,demo)`. */
      readonly chain: string;
      readonly from: string;
      readonly to: string;
      readonly error: VoxError;
    }
  | {
      readonly type: 'recovered';
      readonly kind: FallbackKind;
      readonly chain: string;
      readonly provider: string;
      readonly downMs: number;
    };

/**
 * A provider that reports changes of its health, as a fallback chain does. A session given such
 * a provider subscribes to {@link health$} for its lifetime and re-emits each event as a
 * `provider-switched` or `provider-recovered` session event.
 */
export interface ProviderHealthSource {
  readonly health$: Observable<ProviderHealthEvent>;
}

/** Whether `provider` reports its health (a fallback chain, or any provider shaped like one). */
export function reportsProviderHealth(provider: unknown): provider is ProviderHealthSource {
  return (
    typeof provider === 'object' &&
    provider !== null &&
    typeof (provider as { health$?: { subscribe?: unknown } }).health$?.subscribe === 'function'
  );
}
