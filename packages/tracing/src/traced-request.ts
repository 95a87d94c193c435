import { type Attributes, type Context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Observable } from 'rxjs';
import { ATTR } from './attributes';
import { type DeferredTarget, defer } from './deferred-work';
import { type ResolvedTracing, toHrTime } from './options';

/** How one provider request becomes a span. */
export interface RequestSpan<T> {
  readonly name: string;
  /** The parent: a context, or how to find it when the span is made (its turn's span, by then). */
  readonly parent: Context | ((atMs: number) => Context);
  /** Read when the span is made, off the request's path, and only if the span records. */
  readonly attributes: () => Attributes;
  /** The span event that marks the first item (first token, first audio chunk). */
  readonly firstItemEvent: string;
  /** On the request's path: sees each item as it passes. Bookkeeping only (usage, audio length). */
  readonly onNext?: (item: T) => void;
  /** Last attributes before the span ends, whichever way it ends; off the path. */
  readonly endAttributes?: () => Attributes;
}

type Step = 'start' | 'end';

/**
 * One request's span. The request's path only reads the clock (subscription, first item, end)
 * and queues two steps; the span is made and ended off the path with those times.
 */
class RequestTrace<T> implements DeferredTarget<Step> {
  firstItemAtMs: number | undefined;
  failure: unknown;
  hasFailed = false;
  isCancelled = false;
  #span: Span | undefined;

  constructor(
    readonly describe: RequestSpan<T>,
    readonly tracing: ResolvedTracing,
  ) {}

  apply(step: Step, atMs: number): void {
    if (step === 'start') {
      const { name, parent, attributes } = this.describe;
      const span = this.tracing.tracer.startSpan(
        name,
        { kind: SpanKind.CLIENT, startTime: toHrTime(atMs) },
        typeof parent === 'function' ? parent(atMs) : parent,
      );
      // Without an SDK (or for an unsampled trace) there is nothing more to do.
      if (!span.isRecording()) return;
      span.setAttributes(attributes());
      this.#span = span;
      return;
    }
    const span = this.#span;
    if (!span) return;
    this.#span = undefined;
    if (this.firstItemAtMs !== undefined)
      span.addEvent(this.describe.firstItemEvent, undefined, toHrTime(this.firstItemAtMs));
    if (this.hasFailed) this.#recordFailure(span, atMs);
    if (this.isCancelled) span.setAttribute(ATTR.cancelled, true);
    const last = this.describe.endAttributes?.();
    if (last) span.setAttributes(last);
    span.end(toHrTime(atMs));
  }

  #recordFailure(span: Span, atMs: number): void {
    const error = this.failure;
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string') span.setAttribute(ATTR.errorCode, code);
    span.recordException(error instanceof Error ? error : String(error), toHrTime(atMs));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Runs `request$` inside a client span: opened on subscription, ended when the stream
 * completes, errors (recorded, status ERROR) or is unsubscribed (`voxduplex.cancelled`), so an
 * interrupted request leaves no span open. Items pass through untouched; the span itself is
 * made off the request's path (see `defer`).
 */
export function tracedRequest<T>(
  request$: Observable<T>,
  tracing: ResolvedTracing,
  describe: () => RequestSpan<T>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const request = new RequestTrace(describe(), tracing);
    const { onNext } = request.describe;
    defer(request, 'start', tracing.now());
    let hasEnded = false;
    const end = () => {
      hasEnded = true;
      defer(request, 'end', tracing.now());
    };
    const subscription = request$.subscribe({
      next: (item) => {
        request.firstItemAtMs ??= tracing.now();
        onNext?.(item);
        subscriber.next(item);
      },
      error: (error: unknown) => {
        request.failure = error;
        request.hasFailed = true;
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
      request.isCancelled = true;
      end();
    };
  });
}
