import {
  type LlmEvent,
  type LlmProvider,
  type LlmRequest,
  ProviderRequestError,
  ProviderTimeoutError,
} from '@voxduplex/core';
import { Observable } from 'rxjs';
import type { AiServiceConnection } from './ai-service-connection';
import { serviceErrorToVoxError } from './errors';
import { type ChatRequestPayload, chatRequestSchema } from './protocol';

/** Options of {@link SocketIoLlm}. */
export interface SocketIoLlmOptions {
  /** The shared connection to the AI service; the provider never closes it. */
  readonly connection: AiServiceConnection;
  /** Sent with every request so the service can tell sessions apart (logs, per-session state). */
  readonly sessionId?: string;
  /** Milliseconds from sending (including a reconnection wait) to the first token. Default 10 000. */
  readonly firstTokenTimeoutMs?: number;
  /** Milliseconds of silence allowed between events after the first. Default 30 000. */
  readonly idleTimeoutMs?: number;
  /** Provider name used in errors' `source`. Default `socketio`. */
  readonly name?: string;
}

/**
 * {@link LlmProvider} that asks an AI service over Socket.IO (the seed's design): each
 * `generate` sends the whole history as one `chat:request`, then turns the service's
 * `chat:token` / `chat:tool-call` / `chat:done` / `chat:error` events into `LlmEvent`s.
 * Unsubscribing sends `chat:abort`. No retries here: a request lost to a dropped connection
 * fails with a retryable `ProviderUnavailableError`, and the next one goes out once the shared
 * connection is back.
 *
 * @example
 * ```ts
 * const llm = new SocketIoLlm({ connection: aiService, sessionId: session.id });
 * llm.generate({ messages }).subscribe((event) => console.log(event));
 * ```
 */
export class SocketIoLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly #options: SocketIoLlmOptions;
  readonly #source: string;

  constructor(options: SocketIoLlmOptions) {
    this.#options = options;
    this.name = options.name ?? 'socketio';
    this.#source = `llm:${this.name}`;
  }

  /**
   * Cold: subscribing sends one `chat:request`; unsubscribing before the end sends `chat:abort`.
   * A history that breaks the contract fails at once with `ProviderRequestError`.
   */
  generate(request: LlmRequest): Observable<LlmEvent> {
    return new Observable<LlmEvent>((subscriber) => {
      const { connection, sessionId } = this.#options;
      // Checked here so a malformed history fails at once, typed, instead of as garbage on the wire.
      const parsed = chatRequestSchema.safeParse({
        requestId: globalThis.crypto.randomUUID(),
        ...(sessionId === undefined ? {} : { sessionId }),
        messages: request?.messages,
        ...(request?.tools === undefined ? {} : { tools: request.tools }),
        ...(request?.temperature === undefined ? {} : { temperature: request.temperature }),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        subscriber.error(
          new ProviderRequestError(
            `${this.#source}: invalid request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
            { source: this.#source },
          ),
        );
        return;
      }
      const payload: ChatRequestPayload = parsed.data;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = (ms: number, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            subscriber.error(
              new ProviderTimeoutError(`${this.#source}: ${what} within ${ms} ms`, { source: this.#source }),
            ),
          ms,
        );
      };
      arm(this.#options.firstTokenTimeoutMs ?? 10_000, 'no first token');
      let hasToolCalls = false;
      const cancel = connection.send(payload, {
        onFailure: (error) => subscriber.error(error),
        onReply: (reply) => {
          arm(this.#options.idleTimeoutMs ?? 30_000, 'no event');
          switch (reply.type) {
            case 'token':
              if (reply.text !== '') subscriber.next({ type: 'token', text: reply.text });
              break;
            case 'tool-call':
              hasToolCalls = true;
              subscriber.next({ type: 'tool-call', call: reply.call });
              break;
            case 'done':
              subscriber.next({
                type: 'done',
                finishReason: reply.finishReason ?? (hasToolCalls ? 'tool-calls' : 'stop'),
              });
              subscriber.complete();
              break;
            case 'error':
              subscriber.error(serviceErrorToVoxError(reply.error, this.#source));
              break;
          }
        },
      });
      return () => {
        clearTimeout(timer);
        cancel();
      };
    });
  }
}
