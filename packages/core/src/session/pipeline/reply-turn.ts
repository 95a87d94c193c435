import type { Observable, SchedulerLike } from 'rxjs';
import type { ChatMessage, ToolCall } from '../../frames/chat';
import type { DtmfDigit } from '../../frames/dtmf';
import type { SpeechRef } from '../../frames/identity';
import type { LlmEvent, LlmProvider, LlmRequest, LlmToolDefinition } from '../../providers/llm';
import type { ToolOutcome } from '../tool-runner';
import type { Tool } from '../tools';

/**
 * One piece of a reply, as the `reply` stage emits it:
 * - a string, or an object with `text` only (a {@link Token}): streamed text, which the
 *   session cuts into sentences with its chunker;
 * - an object with `displayText` (a {@link Sentence}): one sentence, spoken as is — `text` goes
 *   to TTS, `displayText` is shown and stored. `isFiller: true` marks speech that is not part of
 *   the answer (a "one moment" while tools run): spoken and shown, never stored in the history.
 *
 * The session stamps ids and indexes: a reply never has to.
 */
export type ReplyPiece =
  | string
  | { readonly text: string; readonly displayText?: undefined }
  | { readonly text: string; readonly displayText: string; readonly isFiller?: boolean };

/**
 * What a `reply` stage returns: an Observable, an async iterable (an `async function*`, a Node
 * stream) or a WHATWG `ReadableStream` of {@link ReplyPiece}s. Iterables and streams are read
 * through {@link replyFrom}: an interrupt stops reading and cancels them.
 */
export type ReplySource =
  | Observable<ReplyPiece>
  | AsyncIterable<ReplyPiece | Uint8Array>
  | ReadableStream<ReplyPiece | Uint8Array>;

/** Settings of the session that the default reply reads. */
export interface ReplySettings {
  readonly temperature?: number | undefined;
  /** Tool rounds allowed in one reply before the model must answer in words. */
  readonly maxToolRounds: number;
  /** Spoken when tools run longer than `afterMs` (0 = never). */
  readonly toolFiller: { readonly afterMs: number; readonly text: string };
}

/**
 * A user turn to answer: what the `reply` stage is given.
 *
 * A reply may start before the turn is confirmed (`preemptiveGeneration`): its output is held
 * and released if the user's words stay the same, else it is unsubscribed and `signal` aborts.
 */
export interface ReplyTurn extends SpeechRef {
  readonly sessionId: string;
  /** What the user said (or typed) this turn. */
  readonly userText: string;
  /** The conversation to answer: system prompt, history, then the user's message. */
  readonly messages: readonly ChatMessage[];
  /** The session's LLM. Prefer {@link ReplyTurn.generate}, which also times the request. */
  readonly llm: LlmProvider;
  readonly tools: readonly Tool[];
  /** The tools as the model sees them (JSON Schema parameters). */
  readonly toolDefinitions: readonly LlmToolDefinition[];
  readonly settings: ReplySettings;
  /** Aborted when the reply is interrupted, discarded, fails, or the session closes (not when it finishes). */
  readonly signal: AbortSignal;
  /** True when the reply started before the turn was confirmed (preemptive generation). */
  readonly isPreemptive: boolean;
  readonly scheduler: SchedulerLike;
  /** Keys the caller presses from now on (DTMF; hot): a reply can wait for a choice. */
  readonly dtmf$: Observable<DtmfDigit>;
  /** `llm.generate(request)`, timed for the turn's metrics (`llmTtftMs`). */
  generate(request: LlmRequest): Observable<LlmEvent>;
  /**
   * Runs a tool call the way the default reply does: arguments validated, `signal` passed on,
   * `tool-call`/`tool-result` events emitted, and the call with its answer stored in the history
   * after the text emitted so far (text emitted later goes after it). Resolves with the outcome
   * (a failed tool is an error *result*); rejects only when the turn was aborted. In an early
   * reply (`isPreemptive`) it waits until the turn is confirmed, so a reply that is thrown away
   * has run no tool.
   */
  callTool(call: ToolCall): Promise<ToolOutcome>;
  /** Answers a tool call without running it (e.g. past your round limit), keeping the history valid. */
  declineToolCall(call: ToolCall, reason: string): void;
  /**
   * What this reply added so far: its text and tool rounds (calls with their answers). The next
   * LLM request after tools ran is `[...messages, ...roundMessages()]`.
   */
  roundMessages(): ChatMessage[];
}
