import { describe, expect, it } from 'vitest';
import { chatDoneSchema, chatRequestSchema, chatToolCallSchema } from './protocol';

describe('AI service protocol schemas', () => {
  it('accepts a request with a full history', () => {
    const request = {
      requestId: 'r1',
      sessionId: 's1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'weather', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'c1', name: 'weather', content: 'sunny' },
        { role: 'assistant', content: 'It is', interrupted: true },
      ],
      tools: [{ name: 'weather', description: 'Weather now', parameters: { type: 'object' } }],
      temperature: 0.4,
    };
    expect(chatRequestSchema.parse(request)).toEqual(request);
  });

  it('rejects an empty history, an unknown role and a missing request id', () => {
    expect(chatRequestSchema.safeParse({ requestId: 'r', messages: [] }).success).toBe(false);
    expect(
      chatRequestSchema.safeParse({ requestId: 'r', messages: [{ role: 'robot', content: 'x' }] }).success,
    ).toBe(false);
    expect(chatRequestSchema.safeParse({ messages: [{ role: 'user', content: 'x' }] }).success).toBe(false);
  });

  it('requires tool-call arguments as JSON text and a known finish reason', () => {
    expect(
      chatToolCallSchema.safeParse({ requestId: 'r', call: { id: 'c', name: 'n', arguments: { a: 1 } } })
        .success,
    ).toBe(false);
    expect(chatDoneSchema.safeParse({ requestId: 'r', finishReason: 'tool-calls' }).success).toBe(true);
    expect(chatDoneSchema.safeParse({ requestId: 'r', finishReason: 'tool_calls' }).success).toBe(false);
  });
});
