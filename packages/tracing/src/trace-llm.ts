import type { Attributes } from '@opentelemetry/api';
import type { LlmEvent, LlmProvider, LlmRequest } from '@voxduplex/core';
import { ATTR, EVENT } from './attributes';
import { resolveTracing, type TracingOptions } from './options';
import { passThrough } from './pass-through';
import { requestParent } from './session-trace';
import { tracedRequest } from './traced-request';

/**
 * The same LLM, with a span per request (`chat <model>`, GenAI semantic conventions):
 * `gen_ai.system` (the provider's `name`), `gen_ai.request.model`, `gen_ai.request.temperature`,
 * `gen_ai.usage.input_tokens` / `output_tokens` when the provider reports usage,
 * `gen_ai.response.finish_reasons`, and a `gen_ai.first_token` event. A request from a session
 * traced with {@link traceSession} is a child of its turn's span; any other request a child of
 * the active context. Unsubscribing (an interrupt) ends the span with `voxduplex.cancelled`.
 *
 * @example
 * ```ts
 * const llm = traceLlm(new OpenAiLlm({ model: 'gpt-4o-mini' }));
 * ```
 */
export function traceLlm(llm: LlmProvider, options: TracingOptions = {}): LlmProvider {
  const tracing = resolveTracing(options);
  const traced: LlmProvider = {
    specificationVersion: 'v1',
    name: llm.name,
    ...(llm.model === undefined ? {} : { model: llm.model }),
    generate: (request: LlmRequest) => {
      let output = '';
      let done: Extract<LlmEvent, { type: 'done' }> | undefined;
      return tracedRequest<LlmEvent>(llm.generate(request), tracing, () => ({
        name: llm.model ? `chat ${llm.model}` : 'chat',
        parent: requestParent(request.origin),
        attributes: () => requestAttributes(llm, request, tracing.recordContent),
        firstItemEvent: EVENT.firstToken,
        onNext: (event) => {
          if (event.type === 'token' && tracing.recordContent) output += event.text;
          else if (event.type === 'done') done = event;
        },
        endAttributes: () => ({
          ...(done ? { [ATTR.genAiFinishReasons]: [done.finishReason] } : {}),
          ...(done?.usage?.inputTokens === undefined
            ? {}
            : { [ATTR.genAiInputTokens]: done.usage.inputTokens }),
          ...(done?.usage?.outputTokens === undefined
            ? {}
            : { [ATTR.genAiOutputTokens]: done.usage.outputTokens }),
          ...(tracing.recordContent ? { [ATTR.genAiOutputText]: output } : {}),
        }),
      }));
    },
  };
  return passThrough(llm, traced);
}

function requestAttributes(llm: LlmProvider, request: LlmRequest, recordContent: boolean): Attributes {
  return {
    [ATTR.genAiOperation]: 'chat',
    [ATTR.genAiSystem]: llm.name,
    ...(llm.model === undefined ? {} : { [ATTR.genAiRequestModel]: llm.model }),
    ...(request.temperature === undefined ? {} : { [ATTR.genAiTemperature]: request.temperature }),
    ...(request.origin
      ? { [ATTR.turnId]: request.origin.turnId, [ATTR.speechId]: request.origin.speechId }
      : {}),
    ...(recordContent ? { [ATTR.genAiInputMessages]: JSON.stringify(request.messages) } : {}),
  };
}
