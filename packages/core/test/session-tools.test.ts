import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../src/session/tools';
import { CANCELLED_TOOL_RESULT, findHistoryProblems } from '../src/session/turn-log';
import type { LlmScriptStep } from '../src/testing/fake-llm';
import { type VirtualConversation, virtualConversation } from '../src/testing/virtual-conversation';

type Harness = VirtualConversation;
const question = { text: 'what is the weather in paris', startMs: 500 };

function weatherTool(c: () => Harness, delayMs = 200, seen: AbortSignal[] = []) {
  return defineTool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: ({ city }, { signal }) => {
      seen.push(signal);
      return c().later(delayMs, { city, celsius: 21 }, signal);
    },
  });
}

describe('tool calls', () => {
  it('runs a tool mid-turn and continues the reply in the same speech', async () => {
    let c!: Harness;
    const reply = (_: unknown, call: number): LlmScriptStep[] =>
      call === 0
        ? [
            { text: 'Let me check.' },
            { toolCall: { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } } },
          ]
        : [{ text: 'It is twenty one degrees in Paris.' }];
    c = virtualConversation({
      utterances: [question],
      llm: { reply },
      config: { tools: [weatherTool(() => c)] },
    });
    await c.runAsync();

    expect(c.ofType('tool-call').map((e) => e.call)).toEqual([
      { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    expect(c.ofType('tool-result')).toMatchObject([
      { toolCallId: 'call_1', isError: false, result: '{"city":"Paris","celsius":21}' },
    ]);
    expect(c.llm.requests[0]!.tools?.[0]).toMatchObject({
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    });
    expect(c.llm.requests[1]!.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"city":"Paris","celsius":21}' },
    ]);
    expect(new Set(c.ofType('audio').map((e) => e.audio.speechId)).size).toBe(1);
    expect(c.ofType('agent-text').map((e) => e.text.trim())).toEqual([
      'Let me check.',
      'It is twenty one degrees in Paris.',
    ]);
    expect(c.session.history.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(findHistoryProblems(c.session.history)).toEqual([]);
    expect(c.session.state.agent).toBe('listening');
  });

  it('runs parallel tool calls at the same time and answers each once', async () => {
    let c!: Harness;
    const started: number[] = [];
    const slow = (name: string, ms: number) =>
      defineTool({
        name,
        description: name,
        parameters: z.object({}),
        execute: (_, { signal }) => {
          started.push(c.scheduler.now());
          return c.later(ms, `${name} done`, signal);
        },
      });
    const reply = (_: unknown, call: number): LlmScriptStep[] =>
      call === 0
        ? [
            { toolCall: { id: 'a', name: 'first', arguments: {} } },
            { toolCall: { id: 'b', name: 'second', arguments: {} } },
          ]
        : [{ text: 'Both are done.' }];
    c = virtualConversation({
      utterances: [question],
      llm: { reply },
      config: { tools: [slow('first', 500), slow('second', 300)] },
    });
    await c.runAsync();
    expect(new Set(started).size).toBe(1);
    expect(c.llm.requests[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      'first done',
      'second done',
    ]);
    expect(findHistoryProblems(c.session.history)).toEqual([]);
  });

  it('feeds invalid arguments back to the model as an error result instead of running the tool', async () => {
    const execute = vi.fn();
    const reply = (_: unknown, call: number): LlmScriptStep[] =>
      call === 0
        ? [{ toolCall: { id: 'x', name: 'get_weather', arguments: { town: 7 } } }]
        : [{ text: 'Which city?' }];
    const c = virtualConversation({
      utterances: [question],
      llm: { reply },
      config: {
        tools: [
          defineTool({
            name: 'get_weather',
            description: 'w',
            parameters: z.object({ city: z.string() }),
            execute,
          }),
        ],
      },
    });
    await c.runAsync();
    expect(execute).not.toHaveBeenCalled();
    const [result] = c.ofType('tool-result');
    expect(result).toMatchObject({ isError: true });
    expect(result!.result).toMatch(/invalid arguments for 'get_weather'.*city/);
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Which city?' });
  });

  it('aborts a running tool on barge-in and leaves every call answered exactly once', async () => {
    let c!: Harness;
    const signals: AbortSignal[] = [];
    const reply = (_: unknown, call: number): LlmScriptStep[] =>
      call === 0
        ? [
            { text: 'Let me look that up for you.' },
            { toolCall: { id: 'slow', name: 'get_weather', arguments: { city: 'Paris' } } },
          ]
        : [{ text: 'Okay.' }];
    c = virtualConversation({
      utterances: [question, { text: 'never mind that', startMs: 4000 }],
      llm: { reply },
      config: { tools: [weatherTool(() => c, 10_000, signals)] },
    });
    await c.runAsync();
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(c.ofType('tool-result')).toHaveLength(0);
    const toolMessages = c.session.history.filter((m) => m.role === 'tool');
    expect(toolMessages).toEqual([
      { role: 'tool', toolCallId: 'slow', name: 'get_weather', content: CANCELLED_TOOL_RESULT },
    ]);
    expect(findHistoryProblems(c.llm.requests[1]!.messages)).toEqual([]);
    expect(c.session.history.at(-1)).toEqual({ role: 'assistant', content: 'Okay.' });
  });

  it('speaks a filler while a tool runs long, and keeps it out of the history', async () => {
    let c!: Harness;
    const reply = (_: unknown, call: number): LlmScriptStep[] =>
      call === 0
        ? [{ toolCall: { id: 'w', name: 'get_weather', arguments: { city: 'Paris' } } }]
        : [{ text: 'Sunny.' }];
    c = virtualConversation({
      utterances: [question],
      llm: { reply },
      config: { tools: [weatherTool(() => c, 2000)], toolFiller: { afterMs: 700, text: 'One moment.' } },
    });
    await c.runAsync();
    expect(c.ofType('agent-text').map((e) => e.text)).toEqual(['One moment.', 'Sunny.']);
    expect(c.session.history.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual([
      '',
      'Sunny.',
    ]);
  });
});
