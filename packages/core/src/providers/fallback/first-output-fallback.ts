import { catchError, defer, type Observable, tap, throwError, timeout } from 'rxjs';
import { ProviderTimeoutError } from '../../errors/families';
import { toVoxError } from '../../errors/to-vox-error';
import type { VoxError } from '../../errors/vox-error';
import type { ChainHealth } from './chain-health';
import { movesOn } from './fallback-options';

/**
 * One request through a chain, for requests whose output cannot be taken back (LLM tokens, TTS
 * audio): it starts on the first provider of the chain's order and moves to the next on a
 * failure *before the first output* (an error, or no output within `firstOutputTimeoutMs`).
 * Once something was emitted, a failure ends the request with that provider's typed error: the
 * next provider would say it again, differently.
 *
 * ```
 * a:  ---#                      a:  --x--#
 * b:      --x--y--|             b:  (never asked)
 * out: -------x--y--|           out: --x--#
 * ```
 */
export function firstOutputFallback<P extends { readonly name: string }, T>(
  health: ChainHealth<P>,
  open: (provider: P) => Observable<T>,
): Observable<T> {
  const { fallbackOn, firstOutputTimeoutMs, scheduler } = health.options;
  return health.inUse(
    defer(() => {
      const order = health.order();
      const errors: VoxError[] = [];
      let hasOutput = false;
      const attempt = (position: number): Observable<T> => {
        const index = order[position];
        if (index === undefined) return throwError(() => health.exhausted(errors));
        health.attempted(index);
        const source = health.sourceOf(index);
        const request$ = defer(() => open(health.members[index]!));
        const timed$ = Number.isFinite(firstOutputTimeoutMs)
          ? request$.pipe(
              timeout({
                first: firstOutputTimeoutMs,
                scheduler,
                with: () =>
                  throwError(
                    () =>
                      new ProviderTimeoutError(`no first output within ${firstOutputTimeoutMs} ms`, {
                        source,
                      }),
                  ),
              }),
            )
          : request$;
        return timed$.pipe(
          tap({
            next: () => {
              if (hasOutput) return;
              hasOutput = true;
              health.succeeded(index);
            },
            complete: () => health.succeeded(index),
          }),
          catchError((thrown: unknown) => {
            const error = toVoxError(thrown, source);
            if (!hasOutput && !movesOn(fallbackOn, error)) return throwError(() => error);
            health.failed(index, error);
            if (hasOutput) return throwError(() => error);
            errors.push(error);
            return attempt(position + 1);
          }),
        );
      };
      return attempt(0);
    }),
  );
}
