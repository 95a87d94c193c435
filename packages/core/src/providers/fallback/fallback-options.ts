import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { ConfigError } from '../../errors/families';
import type { VoxError } from '../../errors/vox-error';
import { type Logger, silentLogger } from '../../logging/logger';

/** How a fallback chain checks, in the background, whether an unhealthy provider is back. */
export interface ProbeOptions<P> {
  /** Wait before the first probe of a provider that just failed, ms. Default 1000. */
  readonly initialDelayMs?: number;
  /** The wait doubles after each failed probe, up to this, ms. Default 30 000. */
  readonly maxDelayMs?: number;
  /** A probe with no answer after this long failed, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /**
   * The probe itself: the provider is back when this emits or completes, still down when it
   * errors. Unsubscribing must cancel it. Default per kind: one short LLM request (`ping`,
   * cancelled at its first token), the synthesis of `OK` (cancelled at its first chunk), a
   * recognition stream fed 200 ms of silence. (A method, so one options object without a
   * `check` serves chains of every kind.)
   */
  check?(provider: P): Observable<unknown>;
}

/**
 * Options of `fallbackStt`, `fallbackLlm` and `fallbackTts`.
 *
 * **Which failures move on** (`fallbackOn`): by default *any* error of a provider moves the
 * request to the next one, retryable or not, as LiveKit's FallbackAdapter does. What is final
 * for one provider — its key refused, its quota spent, a request its API rejects — says nothing
 * about the next provider, which has its own account and API: that difference is why a chain
 * exists. The failure is not hidden: it is in the `switched` event (the session's
 * `provider-switched`) and in the log. With `'retryable'`, a non-retryable error ends the
 * request as it is and leaves the provider's health alone (the request was at fault, not the
 * provider).
 */
export interface FallbackOptions<P> {
  /** Used in errors (`source: 'llm:<name>'`), logs and events. Default `fallback(<names>)`. */
  readonly name?: string;
  /** Which failures move a request on; see above. Default `'any-error'`. */
  readonly fallbackOn?: 'any-error' | 'retryable';
  /**
   * LLM and TTS requests: no first output (token, audio chunk) after this long counts as a
   * failure ({@link ProviderTimeoutError}) and the request moves on. Default 10 000 ms;
   * `Infinity` waits for ever. Recognition streams have no such limit (silence has no output).
   */
  readonly firstOutputTimeoutMs?: number;
  /**
   * Recognition streams: the most audio replayed to the next recognizer when one fails (the
   * audio since the last final), ms. Older audio is dropped: its words are lost. Default 20 000.
   * Of the silence between a final and the next speech (with recognizers that report
   * `speech-start`), only the last 3 s are kept, so a quiet session holds little audio.
   */
  readonly maxReplayMs?: number;
  readonly probe?: ProbeOptions<P>;
  /** Timers (probes, timeouts) and the clock; virtual time in tests. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Where switches (warn) and recoveries (info) are logged. Default: nowhere. */
  readonly logger?: Logger;
}

/** {@link FallbackOptions} with every default filled in. */
export interface ResolvedFallbackOptions<P> {
  readonly name: string;
  readonly fallbackOn: 'any-error' | 'retryable';
  readonly firstOutputTimeoutMs: number;
  readonly maxReplayMs: number;
  readonly probe: Required<Omit<ProbeOptions<P>, 'check'>> & Pick<ProbeOptions<P>, 'check'>;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
}

/** Fills in the defaults; throws a {@link ConfigError} for an empty chain or a negative time. */
export function resolveFallbackOptions<P extends { readonly name: string }>(
  kind: string,
  members: readonly P[],
  options: FallbackOptions<P>,
): ResolvedFallbackOptions<P> {
  const issues: string[] = [];
  if (members.length === 0) issues.push(`a ${kind} fallback chain needs at least one provider`);
  const probe = {
    initialDelayMs: options.probe?.initialDelayMs ?? 1000,
    maxDelayMs: options.probe?.maxDelayMs ?? 30_000,
    timeoutMs: options.probe?.timeoutMs ?? 10_000,
    ...(options.probe?.check ? { check: options.probe.check } : {}),
  };
  const times = {
    firstOutputTimeoutMs: options.firstOutputTimeoutMs ?? 10_000,
    maxReplayMs: options.maxReplayMs ?? 20_000,
    'probe.initialDelayMs': probe.initialDelayMs,
    'probe.maxDelayMs': probe.maxDelayMs,
    'probe.timeoutMs': probe.timeoutMs,
  };
  for (const [key, value] of Object.entries(times))
    if (!(value >= 0)) issues.push(`${key} must be a number ≥ 0, got ${String(value)}`);
  if (issues.length > 0) throw new ConfigError(`Invalid ${kind} fallback chain`, issues);
  return {
    name: options.name ?? `fallback(${members.map((member) => member.name).join(',')})`,
    fallbackOn: options.fallbackOn ?? 'any-error',
    firstOutputTimeoutMs: times.firstOutputTimeoutMs,
    maxReplayMs: times.maxReplayMs,
    probe,
    scheduler: options.scheduler ?? asyncScheduler,
    logger: options.logger ?? silentLogger,
  };
}

/** Whether `error` moves a request to the next provider under `fallbackOn`. */
export function movesOn(fallbackOn: 'any-error' | 'retryable', error: VoxError): boolean {
  return fallbackOn === 'any-error' || error.retryable;
}
