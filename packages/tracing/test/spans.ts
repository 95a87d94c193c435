import type { Context } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { flushTraces } from '../src/index';

/** Counts spans started and not yet ended: what a test proves is zero at the end. */
export class OpenSpans implements SpanProcessor {
  readonly open = new Set<Span>();
  onStart(span: Span, _context: Context): void {
    this.open.add(span);
  }
  onEnd(span: ReadableSpan): void {
    this.open.delete(span as Span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** A tracer exporting to memory, with helpers to read the finished spans. */
export function memoryTracing() {
  const exporter = new InMemorySpanExporter();
  const openSpans = new OpenSpans();
  const provider = new BasicTracerProvider({
    spanProcessors: [openSpans, new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('test');
  // Spans are made off the session's path: a test reads them after the queued work has run.
  const spans = () => {
    flushTraces();
    return exporter.getFinishedSpans();
  };
  return {
    tracer,
    /** Spans started and not ended, once the queued span work has run. */
    openCount: () => {
      flushTraces();
      return openSpans.open.size;
    },
    spans,
    /** The spans finished so far, without running the queued span work. */
    finishedUnflushed: () => exporter.getFinishedSpans(),
    named: (name: string) => spans().filter((span) => span.name === name),
    one(name: string): ReadableSpan {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1) throw new Error(`${found.length} spans named ${name}`);
      return found[0]!;
    },
    parentOf: (span: ReadableSpan) =>
      spans().find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId),
  };
}

/** An `HrTime` in milliseconds. */
export const ms = (time: readonly [number, number]) => time[0] * 1000 + time[1] / 1e6;

/** When a span's event named `name` happened, ms. */
export function eventAt(span: ReadableSpan, name: string): number | undefined {
  const event = span.events.find((candidate) => candidate.name === name);
  return event ? ms(event.time) : undefined;
}
