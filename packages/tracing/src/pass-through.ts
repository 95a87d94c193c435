import { reportsProviderHealth } from '@voxduplex/core';

/**
 * Gives a decorated provider what the session looks for on the provider it wraps: `close()`,
 * and `health$` when it reports its health (a fallback chain) — so a traced chain still tells
 * its sessions `provider-switched` / `provider-recovered`.
 */
export function passThrough<P extends { close?(): void | Promise<void> }>(source: P, traced: P): P {
  if (source.close) traced.close = () => source.close?.();
  return reportsProviderHealth(source) ? Object.assign(traced, { health$: source.health$ }) : traced;
}
