import type { Observable } from 'rxjs';
import type { VoxError } from '../../errors/vox-error';
import type { FallbackKind, ProviderHealthEvent } from '../health';

/** What a fallback chain can say about one of its providers. */
export interface FallbackMemberStats {
  readonly name: string;
  readonly isHealthy: boolean;
  /** Requests (recognition streams) started on it. */
  readonly requests: number;
  readonly failures: number;
  /** Background probes run while it was unhealthy. */
  readonly probes: number;
  readonly lastError?: VoxError;
}

/** Counters of a fallback chain, for a health endpoint or a metrics exporter. */
export interface FallbackChainStats {
  readonly name: string;
  readonly kind: FallbackKind;
  readonly members: readonly FallbackMemberStats[];
  /** Providers taken out of service after a failure (`switched` events). */
  readonly switches: number;
  /** Providers back in service (`recovered` events). */
  readonly recoveries: number;
}

/** What every fallback chain offers besides its provider contract. */
export interface FallbackChain<P> {
  /** The chain's providers, in priority order. */
  readonly providers: readonly P[];
  /**
   * `switched` and `recovered` events, for every session sharing the chain. While anything is
   * subscribed (a session is) or a request is open, the chain is in use: only then does it probe
   * unhealthy providers, so nothing of it is left running once its sessions closed.
   */
  readonly health$: Observable<ProviderHealthEvent>;
  stats(): FallbackChainStats;
  /**
   * Stops every probe, completes {@link health$} and closes every provider of the chain (the
   * chain owns them). Requests made afterwards fail with a non-retryable error.
   */
  close(): Promise<void>;
}
