export { ATTR, EVENT, metricAttribute } from './attributes';
export { flushTraces } from './deferred-work';
export { TRACER_NAME, type TracingOptions } from './options';
export { traceLlm } from './trace-llm';
export { type SessionTracing, traceSession } from './trace-session';
export { traceTts } from './trace-tts';
