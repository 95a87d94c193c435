import type { Observable } from 'rxjs';
import type { ChatMessage, ToolCall } from '../frames/chat';
import type { RequestOrigin } from '../frames/identity';

/** A tool as the model sees it: name, description and JSON Schema of its parameters. */
export interface LlmToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface LlmRequest {
  /** The whole conversation, system prompt first. Every tool call in it is answered. */
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly LlmToolDefinition[];
  readonly temperature?: number;
  /** The session, turn and speech this request answers (set by the session; adapters ignore it). */
  readonly origin?: RequestOrigin;
}

export type LlmFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/** Tokens one request consumed, when the provider reports them. */
export interface LlmUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** What an LLM stream yields. Tool calls arrive whole (adapters join the streamed deltas). */
export type LlmEvent =
  | { readonly type: 'token'; readonly text: string }
  | { readonly type: 'tool-call'; readonly call: ToolCall }
  | { readonly type: 'done'; readonly finishReason: LlmFinishReason; readonly usage?: LlmUsage };

/**
 * Language-model contract, version 1.
 *
 * `generate` is cold: subscribing sends the request; **unsubscribing aborts it at once** (the
 * HTTP request or socket call is cancelled, so an interrupted reply costs nothing more).
 * Retries, if any, happen only before the first token: once text was emitted, a failure errors.
 */
export interface LlmProvider {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /** The model requests go to, when the provider has one fixed (`'gpt-4o-mini'`): for traces and logs. */
  readonly model?: string;
  /**
   * Releases what the provider holds across requests (a gRPC channel, a worker pool, a model).
   * A provider may serve many sessions, so sessions never call this: whoever created the
   * provider does, at shutdown. Streams still open are cancelled.
   */
  close?(): void | Promise<void>;
  generate(request: LlmRequest): Observable<LlmEvent>;
}
