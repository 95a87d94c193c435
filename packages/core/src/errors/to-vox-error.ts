import { ProviderUnavailableError } from './families';
import { VoxError } from './vox-error';

/**
 * Wraps anything thrown into a {@link VoxError}, keeping the original as `cause`.
 * Used at every boundary where foreign errors could leak into session events.
 */
export function toVoxError(error: unknown, source?: string): VoxError {
  if (VoxError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderUnavailableError(message || 'Unknown provider failure', {
    cause: error,
    ...(source === undefined ? {} : { source }),
  });
}
