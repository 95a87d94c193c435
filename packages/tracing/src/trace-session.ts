import { type Context, context, type Span } from '@opentelemetry/api';
import type { VoiceSession } from '@voxduplex/core';
import type { Subscription } from 'rxjs';
import { flushTraces } from './deferred-work';
import { resolveTracing, type TracingOptions } from './options';
import { SessionTrace, tracedSessions } from './session-trace';

/** What {@link traceSession} returns. */
export interface SessionTracing {
  /** The session's span (`voice.session`): parent of every turn. */
  readonly span: Span;
  /** A context with the session span active, to parent the app's own spans under the call. */
  readonly context: Context;
  /** Stops tracing and ends every open span (the session's `close()` does this by itself). */
  stop(): void;
}

/**
 * Traces a session: a `voice.session` span until it closes; under it a `voice.turn` span per
 * turn (from the user's first word to the end of the agent's answer, with the turn's
 * {@link TurnMetrics} as `voxduplex.turn.*_ms` attributes and barge-in pause / resume / commit
 * as events); under each turn `voice.recognition` (first word → last final), `execute_tool
 * <name>` per tool call and `voice.playback` per speech (first audio out → end, with
 * `interrupted`, heard characters and played ms). Wrap the providers with {@link traceLlm} and
 * {@link traceTts} to add a span per LLM and TTS request under the turn it serves.
 *
 * Call it right after `createVoiceSession`, before the first audio. With no OpenTelemetry SDK
 * registered (or when the sampler drops the session's trace) nothing is followed and nothing
 * is spent.
 *
 * @example
 * ```ts
 * const session = createVoiceSession({ stt, llm: traceLlm(llm), tts: traceTts(tts) });
 * traceSession(session);
 * ```
 */
export function traceSession(session: VoiceSession, options: TracingOptions = {}): SessionTracing {
  const tracing = resolveTracing(options);
  const sessionTrace = new SessionTrace(session.id, tracing, context.active());
  // No SDK, or a trace not sampled: its turns would not be recorded either (parent-based
  // sampling), so the session's events are not followed at all — tracing then costs nothing.
  if (!sessionTrace.span.isRecording()) {
    sessionTrace.end();
    return { span: sessionTrace.span, context: sessionTrace.context, stop: () => {} };
  }
  tracedSessions.set(session.id, sessionTrace);
  let subscription: Subscription | undefined;
  const stop = () => {
    subscription?.unsubscribe();
    // The session's last events and requests are still queued: they become spans first.
    flushTraces();
    if (tracedSessions.get(session.id) === sessionTrace) tracedSessions.delete(session.id);
    sessionTrace.end();
  };
  subscription = session.events$.subscribe({
    next: (event) => sessionTrace.handle(event),
    complete: stop,
  });
  if (session.isClosed) stop();
  return { span: sessionTrace.span, context: sessionTrace.context, stop };
}
