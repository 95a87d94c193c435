import { type Attributes, type Context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Observable } from 'rxjs';
import { ATTR } from './attributes';
import type { ResolvedTracing } from './options';

/** How one provider request becomes a span. */
export interface RequestSpan<T> {
  readonly name: string;
  /** Read only when the span records (an SDK is registered and the trace is sampled). */
  readonly attributes: () => Attributes;
  readonly parent: Context;
  /** Sees each item as it passes (first token, usage, audio length). */
  readonly onNext?: (span: Span, item: T, isFirst: boolean) => void;
  /** Last attributes before the span ends, whichever way it ends. */
  readonly onEnd?: (span: Span) => void;
}

/**
 * Runs `request$` inside a client span: opened on subscription, ended when the stream
 * completes, errors (recorded, status ERROR) or is unsubscribed (`voxduplex.cancelled`), so an
 * interrupted request leaves no span open. Items pass through untouched.
 */
export function tracedRequest<T>(
  request$: Observable<T>,
  tracing: ResolvedTracing,
  describe: () => RequestSpan<T>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const { name, attributes, parent, onNext, onEnd } = describe();
    const span = tracing.tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: tracing.time() }, parent);
    // Without an SDK (or for an unsampled trace) the request passes through untouched.
    if (!span.isRecording()) return request$.subscribe(subscriber);
    span.setAttributes(attributes());
    let hasEnded = false;
    let isFirst = true;
    const end = () => {
      hasEnded = true;
      onEnd?.(span);
      span.end(tracing.time());
    };
    const subscription = request$.subscribe({
      next: (item) => {
        onNext?.(span, item, isFirst);
        isFirst = false;
        subscriber.next(item);
      },
      error: (error: unknown) => {
        const code = (error as { code?: unknown })?.code;
        if (typeof code === 'string') span.setAttribute(ATTR.errorCode, code);
        span.recordException(error instanceof Error ? error : String(error), tracing.time());
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        end();
        subscriber.error(error);
      },
      complete: () => {
        end();
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (hasEnded) return;
      span.setAttribute(ATTR.cancelled, true);
      end();
    };
  });
}
