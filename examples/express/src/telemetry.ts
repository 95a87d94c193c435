import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { flushTraces } from '@voxduplex/tracing';
import type { Environment } from './provider-choices';

/**
 * The app's side of tracing: when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (e.g. a local Jaeger or an
 * OpenTelemetry Collector at `http://localhost:4318`), registers a tracer provider that batches
 * spans to it over OTLP/HTTP. `@voxduplex/tracing` only talks to the OpenTelemetry API: without
 * this, its spans cost nothing and go nowhere. Returns the flush-and-stop to call at shutdown.
 */
export function startTelemetry(env: Environment): (() => Promise<void>) | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'voxduplex-example' }),
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) itself.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return () => {
    // Spans of the last events are made at the next loop turn: make them now, then ship them.
    flushTraces();
    return provider.shutdown();
  };
}
