import { type HrTime, type Tracer, trace } from '@opentelemetry/api';

/** What every traced part (session, LLM, TTS) is told. All optional. */
export interface TracingOptions {
  /**
   * Where spans go. Default: the global tracer provider's `@voxduplex/tracing` tracer — a no-op
   * until the app registers an OpenTelemetry SDK, then whatever that SDK exports.
   */
  readonly tracer?: Tracer;
  /**
   * The clock spans are timed on, in epoch milliseconds (fractions allowed). Default: the
   * high-resolution `performance` clock. A test passes its virtual time here.
   */
  readonly now?: () => number;
  /**
   * Put conversation text on spans (user words, agent words, tool arguments and results, LLM
   * messages). Off by default: traces often leave the trust boundary transcripts are kept in.
   */
  readonly recordContent?: boolean;
}

/** {@link TracingOptions} with every default filled in. */
export interface ResolvedTracing {
  readonly tracer: Tracer;
  /** Now, epoch ms: what the session's path reads (a number, no allocation). */
  readonly now: () => number;
  /** Now, as the `HrTime` spans take. */
  readonly time: () => HrTime;
  readonly recordContent: boolean;
}

/** The tracer name this package's spans carry (the instrumentation scope). */
export const TRACER_NAME = '@voxduplex/tracing';

const performanceEpochMs = () => performance.timeOrigin + performance.now();

export function resolveTracing(options: TracingOptions = {}): ResolvedTracing {
  const now = options.now ?? performanceEpochMs;
  return {
    tracer: options.tracer ?? trace.getTracer(TRACER_NAME),
    now,
    time: () => toHrTime(now()),
    recordContent: options.recordContent === true,
  };
}

/**
 * Epoch milliseconds as an `HrTime`. Spans are given `HrTime`s, never plain numbers: the SDK
 * reads a number below `performance.now()` as a performance timestamp and any other as epoch
 * time, so a small virtual time would be read one way or the other depending on the process age.
 */
export function toHrTime(epochMs: number): HrTime {
  const wholeMs = Math.floor(epochMs);
  const nanos = (wholeMs % 1000) * 1e6 + Math.round((epochMs - wholeMs) * 1e6);
  return [Math.floor(wholeMs / 1000), nanos];
}
