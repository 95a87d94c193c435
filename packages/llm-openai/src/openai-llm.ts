import {
  ConfigError,
  type LlmEvent,
  type LlmFinishReason,
  type LlmProvider,
  type LlmRequest,
  type LlmUsage,
  ProviderRequestError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RetryBudget,
  type RetryPolicy,
  type VoxError,
} from '@voxduplex/core';
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { Observable, type Subscriber } from 'rxjs';
import { toProviderError } from './errors';
import { toOpenAiMessages, toOpenAiTools } from './messages';
import { type OpenAiLlmOptions, openAiLlmOptionsSchema } from './options';
import { sleep } from './sleep';
import { ToolCallAssembler } from './tool-call-assembler';

const FINISH_REASONS: Readonly<Record<string, LlmFinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

interface AttemptOutcome {
  readonly error?: VoxError;
  readonly hasEmitted: boolean;
}

/**
 * {@link LlmProvider} for any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure
 * OpenAI, Groq, Ollama, vLLM, llama.cpp server), built on the official `openai` client.
 *
 * Streams tokens as they arrive; tool-call deltas are joined by index and emitted whole just
 * before `done`. Unsubscribing aborts the HTTP request at once. Failures before anything was
 * emitted (429, 5xx, connection errors, dropped streams) are retried with backoff; once a token
 * was emitted, a failure errors the stream. The client's own retries are switched off so that
 * this rule holds and `retry-after` is surfaced as `ProviderQuotaError.retryAfterMs`.
 *
 * @example
 * ```ts
 * const llm = new OpenAiLlm({ model: 'gpt-4o-mini' }); // key from OPENAI_API_KEY
 * llm.generate({ messages: [{ role: 'user', content: 'Hi!' }] }).subscribe(console.log);
 * ```
 */
export class OpenAiLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  /** The model every request goes to (`options.model`): traces and logs report it. */
  readonly model: string;
  readonly #options: OpenAiLlmOptions;
  readonly #client: OpenAI;
  readonly #source: string;
  readonly #retry: Partial<RetryPolicy>;
  readonly #firstTokenTimeoutMs: number;
  readonly #idleTimeoutMs: number;

  /** @throws ConfigError when options are invalid or no API key is found for api.openai.com. */
  constructor(options: OpenAiLlmOptions) {
    const parsed = openAiLlmOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ConfigError(
        'Invalid OpenAI LLM options',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    this.#options = parsed.data;
    this.name = parsed.data.name ?? 'openai';
    this.model = parsed.data.model;
    this.#source = `llm:${this.name}`;
    this.#firstTokenTimeoutMs = parsed.data.firstTokenTimeoutMs ?? 10_000;
    this.#idleTimeoutMs = parsed.data.idleTimeoutMs ?? 30_000;
    this.#retry = {
      maxRetries: parsed.data.maxRetries ?? 2,
      initialDelayMs: parsed.data.retryBaseDelayMs ?? 250,
      maxDelayMs: parsed.data.maxRetryDelayMs ?? 4_000,
    };
    const apiKey = parsed.data.apiKey ?? globalThis.process?.env?.OPENAI_API_KEY;
    const hasCustomEndpoint =
      parsed.data.baseURL !== undefined || globalThis.process?.env?.OPENAI_BASE_URL !== undefined;
    if (!apiKey && !hasCustomEndpoint) {
      throw new ConfigError('No OpenAI API key', ['set the apiKey option or the OPENAI_API_KEY variable']);
    }
    this.#client = new OpenAI({
      // Local servers (Ollama, llama.cpp) need no key: send none rather than a fake one.
      apiKey: apiKey || 'none',
      baseURL: parsed.data.baseURL ?? null,
      maxRetries: 0,
      timeout: this.#firstTokenTimeoutMs,
      defaultHeaders: { ...(apiKey ? {} : { Authorization: null }), ...parsed.data.headers },
      ...(parsed.data.query ? { defaultQuery: { ...parsed.data.query } } : {}),
      // Every failure reaches the caller as a typed error; the client's own console logging
      // would only duplicate it. `OPENAI_LOG` still turns it on.
      ...(globalThis.process?.env?.OPENAI_LOG ? {} : { logLevel: 'off' as const }),
    });
  }

  /**
   * Cold: subscribing sends the request (retrying before the first token as configured);
   * unsubscribing aborts the HTTP request at once. Errors are always a `VoxError` subclass.
   */
  generate(request: LlmRequest): Observable<LlmEvent> {
    return new Observable<LlmEvent>((subscriber) => {
      let body: ChatCompletionCreateParamsStreaming;
      try {
        body = this.#body(request);
      } catch (error) {
        subscriber.error(
          new ProviderRequestError(`${this.#source}: cannot build the request: ${String(error)}`, {
            cause: error,
            source: this.#source,
          }),
        );
        return;
      }
      const controller = new AbortController();
      this.#run(body, subscriber, controller.signal).catch((error: unknown) => {
        if (!controller.signal.aborted) subscriber.error(toProviderError(error, this.#source));
      });
      return () => controller.abort();
    });
  }

  #body(request: LlmRequest): ChatCompletionCreateParamsStreaming {
    const options = this.#options;
    const temperature = request.temperature ?? options.temperature;
    const tools = request.tools ?? [];
    return {
      ...options.extraBody,
      model: options.model,
      messages: toOpenAiMessages(request.messages, {
        systemPrompt: options.systemPrompt,
        systemRole: options.systemRole,
      }),
      stream: true,
      ...(temperature === undefined ? {} : { temperature }),
      ...(tools.length === 0 ? {} : { tools: toOpenAiTools(tools) }),
      ...(tools.length === 0 || options.parallelToolCalls === undefined
        ? {}
        : { parallel_tool_calls: options.parallelToolCalls }),
    };
  }

  async #run(
    body: ChatCompletionCreateParamsStreaming,
    subscriber: Subscriber<LlmEvent>,
    signal: AbortSignal,
  ): Promise<void> {
    // One budget per request; a timeout is not retried: the turn's latency budget is already spent.
    const budget = new RetryBudget(this.#retry, {
      source: this.#source,
      shouldRetry: (error) => error.retryable && error.code !== 'provider_timeout',
    });
    for (;;) {
      budget.attemptStarted();
      const outcome = await this.#attempt(body, subscriber, signal);
      if (signal.aborted || outcome.error === undefined) return;
      if (outcome.hasEmitted) {
        subscriber.error(outcome.error);
        return;
      }
      const decision = budget.failed(outcome.error);
      if (!decision.retry) {
        subscriber.error(decision.error);
        return;
      }
      await sleep(decision.delayMs, signal);
      if (signal.aborted) return;
    }
  }

  /** One HTTP request. Never throws: failures come back as `outcome.error`. */
  async #attempt(
    body: ChatCompletionCreateParamsStreaming,
    subscriber: Subscriber<LlmEvent>,
    signal: AbortSignal,
  ): Promise<AttemptOutcome> {
    const attempt = new AbortController();
    const abortAttempt = () => attempt.abort();
    signal.addEventListener('abort', abortAttempt, { once: true });
    let timedOut: ProviderTimeoutError | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = new ProviderTimeoutError(`${this.#source}: ${what} within ${ms} ms`, {
          source: this.#source,
        });
        attempt.abort();
      }, ms);
    };
    arm(this.#firstTokenTimeoutMs, 'no first token');

    let hasEmitted = false;
    let finishReason: string | undefined;
    let usage: LlmUsage | undefined;
    const toolCalls = new ToolCallAssembler();
    const finish = (): AttemptOutcome => {
      for (const call of toolCalls.calls()) subscriber.next({ type: 'tool-call', call });
      const reason = toolCalls.hasCalls ? 'tool-calls' : (FINISH_REASONS[finishReason ?? ''] ?? 'other');
      subscriber.next({ type: 'done', finishReason: reason, ...(usage ? { usage } : {}) });
      subscriber.complete();
      return { hasEmitted: true };
    };
    try {
      const stream = await this.#client.chat.completions.create(body, { signal: attempt.signal });
      for await (const chunk of stream) {
        // Sent last, with no choices, when the request asks for it (`stream_options.include_usage`).
        if (chunk.usage)
          usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices?.find((c) => c.index === 0) ?? chunk.choices?.[0];
        if (!choice) continue;
        const delta = (choice.delta ?? {}) as ChatCompletionChunk.Choice.Delta & {
          reasoning_content?: string | null;
          reasoning?: string | null;
        };
        const text = delta.content;
        if (text || delta.tool_calls?.length || delta.reasoning_content || delta.reasoning) {
          arm(this.#idleTimeoutMs, 'no chunk');
        }
        for (const toolDelta of delta.tool_calls ?? []) toolCalls.add(toolDelta);
        if (choice.finish_reason) finishReason = choice.finish_reason;
        if (text) {
          hasEmitted = true;
          subscriber.next({ type: 'token', text });
        }
      }
      if (signal.aborted) return { hasEmitted };
      if (finishReason !== undefined) return finish();
      return {
        hasEmitted,
        error:
          timedOut ??
          new ProviderUnavailableError(`${this.#source}: stream ended without a finish reason`, {
            source: this.#source,
          }),
      };
    } catch (error) {
      if (signal.aborted) return { hasEmitted };
      // A connection cut after the finish reason (before `[DONE]`) lost nothing.
      if (finishReason !== undefined) return finish();
      return { hasEmitted, error: timedOut ?? toProviderError(error, this.#source) };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abortAttempt);
      // Ends the HTTP request if we leave early (an error while the body was still open).
      attempt.abort();
    }
  }
}
