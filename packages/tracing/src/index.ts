export { ATTR, EVENT, metricAttribute } from './attributes';
export { TRACER_NAME, type TracingOptions } from './options';
export { type SessionTracing, traceSession } from './trace-session';
export { traceLlm } from './trace-llm';
export { traceTts } from './trace-tts';
