import { describe, expect, it } from 'vitest';
import { toOpenAiMessages } from './messages';

describe('toOpenAiMessages', () => {
  it('keeps text that accompanies tool calls', () => {
    expect(
      toOpenAiMessages([
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [{ id: 'c1', name: 'clock', arguments: '{}' }],
        },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'clock', arguments: '{}' } }],
      },
    ]);
  });

  it('sends an assistant message with an empty tool-call list as plain text', () => {
    expect(toOpenAiMessages([{ role: 'assistant', content: 'Hi', toolCalls: [] }])).toEqual([
      { role: 'assistant', content: 'Hi' },
    ]);
  });

  it('writes every system message with the configured role', () => {
    expect(
      toOpenAiMessages(
        [
          { role: 'system', content: 'A' },
          { role: 'user', content: 'u' },
          { role: 'system', content: 'B' },
        ],
        { systemRole: 'developer', systemPrompt: 'ignored' },
      ),
    ).toEqual([
      { role: 'developer', content: 'A' },
      { role: 'user', content: 'u' },
      { role: 'developer', content: 'B' },
    ]);
  });
});
