import { z } from 'zod';

/** Options of {@link OpenAiLlm}. Only `model` is required. */
export interface OpenAiLlmOptions {
  /** Model (or Azure deployment) name, e.g. `gpt-4o-mini`, `llama3.1:8b`. */
  readonly model: string;
  /** Chat Completions base URL, up to and including `/v1`. Defaults to OpenAI (or `OPENAI_BASE_URL`). */
  readonly baseURL?: string;
  /**
   * Bearer key; defaults to `OPENAI_API_KEY`. When neither is set and `baseURL` points elsewhere
   * (Ollama, llama.cpp), no `Authorization` header is sent.
   */
  readonly apiKey?: string;
  /** Prepended as the first message when the request does not start with a system message. */
  readonly systemPrompt?: string;
  /** Role used for system messages: `developer` for OpenAI reasoning models. Default `system`. */
  readonly systemRole?: 'system' | 'developer';
  /** Sampling temperature; `LlmRequest.temperature` wins when set. */
  readonly temperature?: number;
  /** Extra HTTP headers on every request (Azure `api-key`, gateway routing, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra query parameters on every request (Azure `api-version`). */
  readonly query?: Readonly<Record<string, string>>;
  /** Vendor-specific body fields merged into every request (`max_tokens`, Ollama `options`, …). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  /** Sent as `parallel_tool_calls` when the request has tools. Unset: the server's default. */
  readonly parallelToolCalls?: boolean;
  /**
   * Milliseconds from sending the request to the first token (or reasoning/tool-call delta)
   * before the attempt fails with `ProviderTimeoutError`. Default 10 000.
   */
  readonly firstTokenTimeoutMs?: number;
  /** Milliseconds of silence allowed between chunks after the first. Default 30 000. */
  readonly idleTimeoutMs?: number;
  /**
   * Retries before the first token (429, 5xx, connection failures, drops). Default 2. Once they
   * are spent the error is a `ProviderUnavailableError` (`ProviderQuotaError` after 429s) with
   * `attempts` and the last failure as `cause` — core's shared `RetryBudget` rule.
   */
  readonly maxRetries?: number;
  /** First backoff delay in ms, doubled per retry; each wait is drawn between half and all of it. Default 250. */
  readonly retryBaseDelayMs?: number;
  /**
   * Longest wait in ms between attempts. A `retry-after` above it is not waited for: the
   * `ProviderQuotaError` surfaces at once with its `retryAfterMs`. Default 4 000.
   */
  readonly maxRetryDelayMs?: number;
  /** Provider name used in errors' `source` (`llm:<name>`). Default `openai`. */
  readonly name?: string;
}

const positiveMs = z.number().int().positive();

/**
 * Zod schema of {@link OpenAiLlmOptions}, used by the registry factory. Unknown keys are
 * rejected so a typo in configuration is a `ConfigError`, not a silently ignored option.
 */
export const openAiLlmOptionsSchema: z.ZodType<OpenAiLlmOptions> = z.strictObject({
  model: z.string().min(1),
  baseURL: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  systemPrompt: z.string().optional(),
  systemRole: z.enum(['system', 'developer']).optional(),
  temperature: z.number().min(0).max(2).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  query: z.record(z.string(), z.string()).optional(),
  extraBody: z.record(z.string(), z.unknown()).optional(),
  parallelToolCalls: z.boolean().optional(),
  firstTokenTimeoutMs: positiveMs.optional(),
  idleTimeoutMs: positiveMs.optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryBaseDelayMs: z.number().int().min(0).optional(),
  maxRetryDelayMs: z.number().int().min(0).optional(),
  name: z.string().min(1).optional(),
});
