import {
  catchError,
  defer,
  isObservable,
  type Observable,
  type OperatorFunction,
  tap,
  throwError,
} from 'rxjs';
import { PipelineStageError } from '../../errors/families';
import { VoxError } from '../../errors/vox-error';
import type { PipelineStage } from './stages';

/**
 * Runs a pipeline stage so that its failures name it: an error the stage raises — thrown while
 * building, a non-observable return, an error inside its operators — becomes a
 * {@link PipelineStageError} with `source: 'pipeline:<stage>'` (a {@link VoxError} it raises
 * stays as it is: it is typed already). Errors from upstream pass through unchanged, so a
 * provider failure is never blamed on the stage it flowed through.
 */
export function guardStage<In, Out, Context>(
  name: string,
  stage: PipelineStage<In, Out, Context>,
  context: Context,
): OperatorFunction<In, Out> {
  return (source) =>
    defer(() => {
      let upstreamError: { readonly error: unknown } | undefined;
      const marked = source.pipe(tap({ error: (error: unknown) => (upstreamError = { error }) }));
      let output: Observable<Out>;
      try {
        output = stage(marked, context);
      } catch (error) {
        return throwError(() => stageError(name, error));
      }
      if (!isObservable(output)) {
        return throwError(() =>
          stageError(name, new TypeError(`stage '${name}' did not return an Observable`)),
        );
      }
      return output.pipe(
        catchError((error: unknown) =>
          throwError(() => (upstreamError?.error === error ? error : stageError(name, error))),
        ),
      );
    });
}

/** The typed error for a failure inside stage `name`. */
export function stageError(name: string, error: unknown): VoxError {
  if (VoxError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new PipelineStageError(name, `pipeline stage '${name}' failed: ${reason}`, { cause: error });
}
