import {
  type Attributes,
  type Context,
  context,
  type HrTime,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { SessionEvent, TurnMetrics, VoxError } from '@voxduplex/core';
import { ATTR, EVENT, metricAttribute } from './attributes';
import { type DeferredTarget, defer } from './deferred-work';
import { type ResolvedTracing, toHrTime } from './options';

interface TurnTrace {
  readonly span: Span;
  readonly context: Context;
  /** The user's turn was confirmed (`user-turn`) or the agent spoke in it (`say()`). */
  isConfirmed: boolean;
  readonly openSpeeches: Set<string>;
}

/** The session events a trace reads; the others are not even queued. */
const TRACED_EVENTS = new Set<SessionEvent['type']>([
  'audio',
  'state',
  'transcript',
  'user-turn',
  'speech-start',
  'control',
  'tool-call',
  'tool-result',
  'speech-end',
  'metrics',
  'error',
  'recognition-lost',
  'provider-switched',
  'provider-recovered',
  'closed',
]);

/**
 * The spans of one session, derived from its events: the session span, a span per turn, and
 * under each turn its recognition, tool calls and the playback of each speech. LLM and TTS
 * request spans are opened by the provider decorators, under {@link SessionTrace.turnContext}.
 *
 * On the session's path {@link SessionTrace.handle} only reads the clock and queues the event;
 * the spans are made from the queue off that path ({@link defer}), in the order things happened.
 */
export class SessionTrace implements DeferredTarget<SessionEvent> {
  readonly span: Span;
  readonly context: Context;
  readonly #tracing: ResolvedTracing;
  readonly #turns = new Map<string, TurnTrace>();
  readonly #turnOfSpeech = new Map<string, string>();
  readonly #playbacks = new Map<string, Span>();
  readonly #tools = new Map<string, { readonly span: Span; readonly turnId: string }>();
  /** The user's speech since the last turn: where it started, its last final, the finals' text. */
  #recognition: { startAt?: HrTime; endAt?: HrTime; finals: string[] } = { finals: [] };
  #hasEnded = false;
  /** Speeches whose first audio chunk was queued: the only audio a trace needs to see. */
  readonly #speechesPlaying = new Set<string>();

  constructor(sessionId: string, tracing: ResolvedTracing, parent: Context) {
    this.#tracing = tracing;
    this.span = tracing.tracer.startSpan(
      'voice.session',
      { startTime: tracing.time(), attributes: { [ATTR.sessionId]: sessionId } },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
  }

  /**
   * The context of turn `turnId`, opening its span if this is the first word of it (an early
   * reply's LLM request comes before the turn is confirmed).
   */
  turnContext(turnId: string, atMs: number): Context {
    // A request that outlived its session goes under the session's span, opening nothing.
    return this.#hasEnded ? this.context : this.#turn(turnId, atMs).context;
  }

  /** On the session's path: the clock and a queue entry, for the events a trace reads. */
  handle(event: SessionEvent): void {
    if (this.#hasEnded || !TRACED_EVENTS.has(event.type)) return;
    if (event.type === 'audio') {
      if (this.#speechesPlaying.has(event.audio.speechId)) return;
      this.#speechesPlaying.add(event.audio.speechId);
    } else if (event.type === 'speech-end') {
      this.#speechesPlaying.delete(event.speechId);
    }
    defer(this, event, this.#tracing.now());
  }

  /** Off the path: the event `handle` queued, as spans. */
  apply(event: SessionEvent, atMs: number): void {
    if (this.#hasEnded) return;
    switch (event.type) {
      case 'audio':
        if (!this.#playbacks.has(event.audio.speechId)) this.#startPlayback(event.audio.speechId, atMs);
        return;
      case 'state':
        if (event.state.user === 'speaking' && event.previous.user !== 'speaking') this.#heardOnset(atMs);
        return;
      case 'transcript':
        this.#heardOnset(atMs);
        if (event.transcript.isFinal) {
          this.#recognition.endAt = toHrTime(atMs);
          this.#recognition.finals.push(event.transcript.text);
        }
        return;
      case 'user-turn':
        this.#userTurn(event.turnId, event.text, atMs);
        return;
      case 'speech-start': {
        const turn = this.#turn(event.turnId, atMs);
        turn.isConfirmed = true;
        turn.openSpeeches.add(event.speechId);
        this.#turnOfSpeech.set(event.speechId, event.turnId);
        this.#endIdleTurns(event.turnId, atMs);
        return;
      }
      case 'control':
        this.#control(event.control, atMs);
        return;
      case 'tool-call':
        this.#toolCall(event.turnId, event.call, atMs);
        return;
      case 'tool-result':
        this.#toolResult(event, atMs);
        return;
      case 'speech-end':
        this.#speechEnd(event, atMs);
        return;
      case 'metrics':
        this.#metrics(event.metrics, atMs);
        return;
      case 'error':
        this.#error(event.error, event.turnId, atMs);
        return;
      case 'recognition-lost':
        this.span.addEvent(
          EVENT.recognitionLost,
          {
            provider: event.provider,
            reason: event.reason,
            consecutive_failures: event.consecutiveFailures,
            retry_in_ms: event.retryInMs,
          },
          toHrTime(atMs),
        );
        return;
      case 'provider-switched':
        // The chain is shared by every session on it: the event goes on the session, and on
        // the turns it may have cost (a request that could not move on ends with an error).
        this.#addToSessionAndTurns(EVENT.providerSwitched, atMs, {
          kind: event.kind,
          chain: event.chain,
          from: event.from,
          to: event.to,
          'error.type': event.error.code,
        });
        return;
      case 'provider-recovered':
        this.#addToSessionAndTurns(EVENT.providerRecovered, atMs, {
          kind: event.kind,
          chain: event.chain,
          provider: event.provider,
          down_ms: event.downMs,
        });
        return;
      case 'closed':
        this.end(event.reason, atMs);
        return;
      default:
        return;
    }
  }

  /** Ends every span still open, the session's last. Idempotent. */
  end(reason = 'closed', atMs = this.#tracing.now()): void {
    if (this.#hasEnded) return;
    const at = toHrTime(atMs);
    for (const span of [...[...this.#tools.values()].map((tool) => tool.span), ...this.#playbacks.values()]) {
      span.setAttribute(ATTR.cancelled, true);
      span.end(at);
    }
    for (const turn of this.#turns.values()) turn.span.end(at);
    this.#tools.clear();
    this.#playbacks.clear();
    this.#turns.clear();
    this.#turnOfSpeech.clear();
    this.#speechesPlaying.clear();
    this.span.setAttribute('voxduplex.session.close_reason', reason);
    this.span.end(at);
    this.#hasEnded = true;
  }

  #addToSessionAndTurns(name: string, atMs: number, attributes: Attributes): void {
    const at = toHrTime(atMs);
    this.span.addEvent(name, attributes, at);
    for (const turn of this.#turns.values()) turn.span.addEvent(name, attributes, at);
  }

  #turn(turnId: string, atMs: number): TurnTrace {
    let turn = this.#turns.get(turnId);
    if (!turn) {
      const span = this.#tracing.tracer.startSpan(
        'voice.turn',
        {
          // A turn starts where the user started speaking, when that is known.
          startTime: this.#recognition.startAt ?? toHrTime(atMs),
          attributes: { [ATTR.turnId]: turnId },
        },
        this.context,
      );
      turn = {
        span,
        context: trace.setSpan(this.context, span),
        isConfirmed: false,
        openSpeeches: new Set(),
      };
      this.#turns.set(turnId, turn);
    }
    return turn;
  }

  #heardOnset(atMs: number): void {
    this.#recognition.startAt ??= toHrTime(atMs);
  }

  #userTurn(turnId: string, text: string, atMs: number): void {
    const turn = this.#turn(turnId, atMs);
    turn.isConfirmed = true;
    if (this.#tracing.recordContent) turn.span.setAttribute(ATTR.userText, text);
    const { startAt, endAt, finals } = this.#recognition;
    if (startAt && endAt) {
      const recognition = this.#tracing.tracer.startSpan(
        'voice.recognition',
        {
          startTime: startAt,
          attributes: {
            [ATTR.turnId]: turnId,
            [ATTR.recognitionFinals]: finals.length,
            ...(this.#tracing.recordContent ? { [ATTR.recognitionText]: finals.join(' ') } : {}),
          },
        },
        turn.context,
      );
      recognition.end(endAt);
    }
    this.#recognition = { finals: [] };
    this.#endIdleTurns(turnId, atMs);
  }

  /** Another turn took over: turns with nothing left to say are over (a thrown-away early reply, a bare "stop"). */
  #endIdleTurns(current: string, atMs: number): void {
    for (const [turnId, turn] of this.#turns) {
      if (turnId === current || turn.openSpeeches.size > 0) continue;
      turn.span.setAttribute(ATTR.turnUnanswered, true);
      turn.span.end(toHrTime(atMs));
      this.#turns.delete(turnId);
    }
  }

  #startPlayback(speechId: string, atMs: number): void {
    const turnId = this.#turnOfSpeech.get(speechId);
    const turn = turnId === undefined ? undefined : this.#turns.get(turnId);
    if (!turn) return;
    const span = this.#tracing.tracer.startSpan(
      'voice.playback',
      { startTime: toHrTime(atMs), attributes: { [ATTR.turnId]: turnId, [ATTR.speechId]: speechId } },
      turn.context,
    );
    this.#playbacks.set(speechId, span);
  }

  #control(control: Extract<SessionEvent, { type: 'control' }>['control'], atMs: number): void {
    const turnId = this.#turnOfSpeech.get(control.speechId);
    const turn = turnId === undefined ? undefined : this.#turns.get(turnId);
    if (!turn) return;
    const name =
      control.type === 'pause'
        ? EVENT.bargeInPause
        : control.type === 'resume'
          ? EVENT.bargeInResume
          : EVENT.bargeInCommit;
    turn.span.addEvent(
      name,
      { [ATTR.speechId]: control.speechId, ...('source' in control ? { source: control.source } : {}) },
      toHrTime(atMs),
    );
  }

  #toolCall(turnId: string, call: { id: string; name: string; arguments: string }, atMs: number): void {
    const span = this.#tracing.tracer.startSpan(
      `execute_tool ${call.name}`,
      {
        startTime: toHrTime(atMs),
        attributes: {
          [ATTR.turnId]: turnId,
          [ATTR.genAiOperation]: 'execute_tool',
          [ATTR.genAiToolName]: call.name,
          [ATTR.genAiToolCallId]: call.id,
          ...(this.#tracing.recordContent ? { [ATTR.genAiToolArguments]: call.arguments } : {}),
        },
      },
      this.#turn(turnId, atMs).context,
    );
    this.#tools.set(call.id, { span, turnId });
  }

  #toolResult(event: Extract<SessionEvent, { type: 'tool-result' }>, atMs: number): void {
    const span = this.#tools.get(event.toolCallId)?.span;
    if (!span) return;
    this.#tools.delete(event.toolCallId);
    if (this.#tracing.recordContent) span.setAttribute(ATTR.genAiToolResult, event.result);
    if (event.isError) span.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed' });
    span.end(toHrTime(atMs));
  }

  #speechEnd(event: Extract<SessionEvent, { type: 'speech-end' }>, atMs: number): void {
    const at = toHrTime(atMs);
    const turn = this.#turns.get(event.turnId);
    const attributes = {
      [ATTR.interrupted]: event.interrupted,
      [ATTR.heardChars]: event.heardText.length,
      [ATTR.textChars]: event.text.length,
      [ATTR.playedMs]: event.playedMs,
      ...(this.#tracing.recordContent ? { [ATTR.heardText]: event.heardText } : {}),
    };
    const playback = this.#playbacks.get(event.speechId);
    if (playback) {
      playback.setAttributes(attributes);
      playback.end(at);
      this.#playbacks.delete(event.speechId);
    }
    turn?.span.setAttributes(attributes);
    turn?.openSpeeches.delete(event.speechId);
    this.#turnOfSpeech.delete(event.speechId);
  }

  /** The last word on a speech: its latency figures go on the turn, which ends if nothing of it still runs. */
  #metrics(metrics: TurnMetrics, atMs: number): void {
    const turn = this.#turns.get(metrics.turnId);
    if (!turn) return;
    const figures: Attributes = {};
    for (const field in metrics) {
      const value = metrics[field as keyof TurnMetrics];
      if (typeof value === 'number') figures[metricAttribute(field)] = value;
    }
    turn.span.setAttributes(figures);
    if (turn.openSpeeches.size > 0) return;
    const at = toHrTime(atMs);
    for (const [callId, tool] of this.#tools) {
      // A tool still running when its turn ended was cancelled with it.
      if (tool.turnId !== metrics.turnId) continue;
      tool.span.setAttribute(ATTR.cancelled, true);
      tool.span.end(at);
      this.#tools.delete(callId);
    }
    turn.span.end(at);
    this.#turns.delete(metrics.turnId);
  }

  #error(error: VoxError, turnId: string | undefined, atMs: number): void {
    const turn = turnId === undefined ? undefined : this.#turns.get(turnId);
    const target = turn?.span ?? this.span;
    target.addEvent(
      EVENT.error,
      {
        [ATTR.errorCode]: error.code,
        'exception.message': error.message,
        ...(error.source ? { source: error.source } : {}),
      },
      toHrTime(atMs),
    );
    if (turn) turn.span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
  }
}

/** Active traced sessions by id: how a provider decorator finds the turn a request serves. */
export const tracedSessions = new Map<string, SessionTrace>();

/**
 * Where a provider request of `origin` goes, read on the request's path: its traced session
 * (its turn's span is found when the request's span is made), else the context active now.
 */
export function requestParent(
  origin: { sessionId: string; turnId: string } | undefined,
): ((atMs: number) => Context) | Context {
  const session = origin ? tracedSessions.get(origin.sessionId) : undefined;
  if (!session || !origin) return context.active();
  return (atMs) => session.turnContext(origin.turnId, atMs);
}
