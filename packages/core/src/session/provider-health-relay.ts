import { Subscription } from 'rxjs';
import { reportsProviderHealth } from '../providers/health';
import type { SessionOutlets } from './session-outlets';

/**
 * Re-emits the health events of the session's providers that report them (fallback chains) as
 * `provider-switched` / `provider-recovered` session events. Unsubscribe when the session
 * closes: a chain probes its providers only while something uses it.
 */
export function relayProviderHealth(providers: readonly unknown[], out: SessionOutlets): Subscription {
  const relay = new Subscription();
  for (const provider of new Set(providers)) {
    if (!reportsProviderHealth(provider)) continue;
    relay.add(
      provider.health$.subscribe((event) => {
        const { kind, chain } = event;
        if (event.type === 'switched')
          out.emit('provider-switched', { kind, chain, from: event.from, to: event.to, error: event.error });
        else out.emit('provider-recovered', { kind, chain, provider: event.provider, downMs: event.downMs });
      }),
    );
  }
  return relay;
}
