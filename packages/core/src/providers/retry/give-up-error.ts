import { ProviderQuotaError, ProviderUnavailableError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';

/**
 * The error a retry loop ends with once its retries are spent: a {@link ProviderUnavailableError}
 * with `attempts` and the last failure as `cause` — or, when that failure was a quota error, a
 * {@link ProviderQuotaError} (same `attempts`, its `retryAfterMs`), so an app still sees the
 * `provider_quota` code it can act on. Both stay `retryable`: the provider may come back later.
 * `source` names the provider when the failure itself names none.
 */
export function giveUpError(last: VoxError, attempts: number, windowMs: number, source?: string): VoxError {
  const seconds = Number.isFinite(windowMs) ? ` within ${Math.round(windowMs / 1000)} s` : '';
  const message = `gave up after ${attempts} attempts${seconds} with no progress: ${last.message}`;
  const options = {
    cause: last,
    attempts,
    ...((last.source ?? source) === undefined ? {} : { source: last.source ?? source }),
  };
  if (last.code === 'provider_quota') {
    const retryAfterMs = (last as ProviderQuotaError).retryAfterMs;
    return new ProviderQuotaError(message, {
      ...options,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return new ProviderUnavailableError(message, options);
}
