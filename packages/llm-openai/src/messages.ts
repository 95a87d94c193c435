import type { ChatMessage, LlmToolDefinition } from '@voxduplex/core';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

/** How system messages are written and which prompt to add when the history has none. */
export interface MessageMapping {
  readonly systemPrompt?: string | undefined;
  readonly systemRole?: 'system' | 'developer' | undefined;
}

/**
 * Converts our history into Chat Completions messages.
 *
 * - assistant `toolCalls` become `tool_calls` (`type: 'function'`); an assistant turn that only
 *   called tools is sent with `content: null`, which every compatible server accepts.
 * - `tool` messages become `{ role: 'tool', tool_call_id, content }` (`name` is ours; the wire
 *   format has no place for it).
 * - `interrupted: true` is dropped: the assistant message already holds only the words the user
 *   heard, and the vendor format has no flag for it.
 */
export function toOpenAiMessages(
  messages: readonly ChatMessage[],
  mapping: MessageMapping = {},
): ChatCompletionMessageParam[] {
  const systemRole = mapping.systemRole ?? 'system';
  const wire: ChatCompletionMessageParam[] = [];
  if (mapping.systemPrompt !== undefined && messages[0]?.role !== 'system') {
    wire.push({ role: systemRole, content: mapping.systemPrompt });
  }
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        wire.push({ role: systemRole, content: message.content });
        break;
      case 'user':
        wire.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const toolCalls = message.toolCalls ?? [];
        if (toolCalls.length === 0) {
          wire.push({ role: 'assistant', content: message.content });
          break;
        }
        wire.push({
          role: 'assistant',
          content: message.content === '' ? null : message.content,
          tool_calls: toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        });
        break;
      }
      case 'tool':
        wire.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
        break;
    }
  }
  return wire;
}

/** Converts tool definitions (JSON Schema parameters already) into `tools` of the request. */
export function toOpenAiTools(tools: readonly LlmToolDefinition[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function' as const,
    function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
  }));
}
