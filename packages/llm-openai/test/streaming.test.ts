import { type ChatMessage, type LlmEvent, ProviderRegistry } from '@voxduplex/core';
import { collect, textOf } from '@voxduplex/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiLlm, openAiLlmFactory } from '../src/index';
import {
  type ChatServer,
  endSse,
  historyProblems,
  sendError,
  startChatServer,
  startSse,
  streamReply,
  writeChunk,
} from './chat-server';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const user = (content: string) => ({ role: 'user' as const, content });

describe('OpenAiLlm streaming', () => {
  it('emits each streamed token, then done with the finish reason', async () => {
    server = await startChatServer((res) => streamReply(res, ['Hel', 'lo', ' there', '.']));
    const llm = new OpenAiLlm({ model: 'test-model', baseURL: server.baseURL, apiKey: 'sk-test' });

    const { events, error } = await collect(llm.generate({ messages: [user('Hi')] }));

    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'token', text: 'Hel' },
      { type: 'token', text: 'lo' },
      { type: 'token', text: ' there' },
      { type: 'token', text: '.' },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('reports the tokens used on done when the server sends usage (stream_options.include_usage)', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { content: 'Hi.' });
      writeChunk(res, {}, 'stop');
      res.write(
        `data: ${JSON.stringify({ id: 'u', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } })}\n\n`,
      );
      endSse(res);
    });
    const llm = new OpenAiLlm({
      model: 'test-model',
      baseURL: server.baseURL,
      apiKey: 'sk-test',
      extraBody: { stream_options: { include_usage: true } },
    });

    const { events } = await collect(llm.generate({ messages: [user('Hi')] }));

    expect(llm.model).toBe('test-model');
    expect(server.requests[0]?.body).toMatchObject({ stream_options: { include_usage: true } });
    expect(events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
  });

  it('sends model, stream flag, temperature, key and extra headers and query', async () => {
    server = await startChatServer((res) => streamReply(res, ['ok']));
    const llm = new OpenAiLlm({
      model: 'llama3.1:8b',
      baseURL: server.baseURL,
      apiKey: 'sk-test',
      temperature: 0.3,
      headers: { 'x-tenant': 'acme' },
      query: { 'api-version': '2024-10-21' },
      extraBody: { max_tokens: 64 },
    });

    await collect(llm.generate({ messages: [user('Hi')], temperature: 0.9 }));

    const [request] = server.requests;
    expect(request?.url).toBe('/v1/chat/completions?api-version=2024-10-21');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.headers['x-tenant']).toBe('acme');
    expect(request?.body).toMatchObject({
      model: 'llama3.1:8b',
      stream: true,
      temperature: 0.9,
      max_tokens: 64,
    });
    expect(request?.body).not.toHaveProperty('tools');
  });

  it('sends no Authorization header to a local server when no key is configured', async () => {
    server = await startChatServer((res) => streamReply(res, ['ok']));
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const llm = new OpenAiLlm({ model: 'llama3.1:8b', baseURL: server.baseURL });
      const { error } = await collect(llm.generate({ messages: [user('Hi')] }));
      expect(error).toBeUndefined();
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('sends a history with tool calls, tool results and an interrupted reply in the vendor format', async () => {
    server = await startChatServer((res) => streamReply(res, ['Done.']));
    const llm = new OpenAiLlm({
      model: 'm',
      baseURL: server.baseURL,
      apiKey: 'k',
      systemPrompt: 'unused: the history has its own',
    });

    await collect(
      llm.generate({
        messages: [
          { role: 'system', content: 'You are terse.' },
          user('Weather in Paris and Rome?'),
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
              { id: 'call_b', name: 'weather', arguments: '{"city":"Rome"}' },
            ],
          },
          { role: 'tool', toolCallId: 'call_a', name: 'weather', content: '18C' },
          { role: 'tool', toolCallId: 'call_b', name: 'weather', content: '24C' },
          { role: 'assistant', content: 'Paris is at eighteen and', interrupted: true },
          user('Thanks'),
        ],
        tools: [
          {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
      }),
    );

    const body = server.requests[0]?.body;
    expect(body?.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '18C' },
      { role: 'tool', tool_call_id: 'call_b', content: '24C' },
      { role: 'assistant', content: 'Paris is at eighteen and' },
      { role: 'user', content: 'Thanks' },
    ]);
    expect(body?.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ]);
  });

  it('prepends the configured system prompt when the history has none', async () => {
    server = await startChatServer((res) => streamReply(res, ['ok']));
    const llm = new OpenAiLlm({
      model: 'o3-mini',
      baseURL: server.baseURL,
      apiKey: 'k',
      systemPrompt: 'Be brief.',
      systemRole: 'developer',
    });

    await collect(llm.generate({ messages: [user('Hi')] }));

    expect(server.requests[0]?.body.messages).toEqual([
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('joins parallel tool-call deltas interleaved across chunks into whole calls', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { role: 'assistant', content: null });
      writeChunk(res, {
        tool_calls: [
          { index: 0, id: 'call_p', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      });
      writeChunk(res, {
        tool_calls: [
          { index: 1, id: 'call_r', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      });
      writeChunk(res, { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] });
      writeChunk(res, { tool_calls: [{ index: 1, function: { arguments: '{"city":' } }] });
      writeChunk(res, { tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] });
      writeChunk(res, { tool_calls: [{ index: 1, function: { arguments: '"Rome"}' } }] });
      writeChunk(res, {}, 'tool_calls');
      endSse(res);
    });
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k', parallelToolCalls: true });

    const { events, error } = await collect(
      llm.generate({
        messages: [user('Weather in Paris and Rome?')],
        tools: [{ name: 'weather', description: 'Current weather', parameters: { type: 'object' } }],
      }),
    );

    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'tool-call', call: { id: 'call_p', name: 'weather', arguments: '{"city":"Paris"}' } },
      { type: 'tool-call', call: { id: 'call_r', name: 'weather', arguments: '{"city":"Rome"}' } },
      { type: 'done', finishReason: 'tool-calls' },
    ]);
    expect(server.requests[0]?.body.parallel_tool_calls).toBe(true);
  });

  it('feeds joined tool calls and their results back in a history the server accepts', async () => {
    server = await startChatServer((res, request, call) => {
      const problems = historyProblems(request.body.messages as never);
      if (problems.length > 0) return sendError(res, 400, { message: problems.join('; ') });
      if (call === 1) return streamReply(res, ['Paris', ' is', ' sunny.']);
      startSse(res);
      writeChunk(res, {
        tool_calls: [{ index: 0, id: 'c0', function: { name: 'weather', arguments: '{"city"' } }],
      });
      writeChunk(res, { tool_calls: [{ index: 1, id: 'c1', function: { name: 'clock', arguments: '' } }] });
      writeChunk(res, { tool_calls: [{ index: 0, function: { arguments: ':"Paris"}' } }] });
      writeChunk(res, {}, 'tool_calls');
      endSse(res);
    });
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k' });
    const history: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, user('Weather and time?')];

    const first = await collect(llm.generate({ messages: history }));
    const calls = first.events.flatMap((event: LlmEvent) => (event.type === 'tool-call' ? [event.call] : []));
    history.push({ role: 'assistant', content: textOf(first.events), toolCalls: calls });
    for (const call of calls) {
      history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: `result of ${call.name}` });
    }
    const second = await collect(llm.generate({ messages: history }));

    expect(calls).toEqual([
      { id: 'c0', name: 'weather', arguments: '{"city":"Paris"}' },
      { id: 'c1', name: 'clock', arguments: '{}' },
    ]);
    expect(second.error).toBeUndefined();
    expect(textOf(second.events)).toBe('Paris is sunny.');
  });

  it('a history with an unanswered tool call is rejected by such a server as a ProviderRequestError', async () => {
    server = await startChatServer((res, request) => {
      const problems = historyProblems(request.body.messages as never);
      if (problems.length > 0) return sendError(res, 400, { message: problems.join('; ') });
      streamReply(res, ['ok']);
    });
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k' });

    const { error } = await collect(
      llm.generate({
        messages: [
          user('Time?'),
          { role: 'assistant', content: '', toolCalls: [{ id: 'c9', name: 'clock', arguments: '{}' }] },
          user('Never mind'),
        ],
      }),
    );

    expect(error).toMatchObject({ name: 'ProviderRequestError' });
    expect(error?.message).toContain('c9 unanswered');
  });

  it('emits text spoken before a tool call, then the call', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { role: 'assistant', content: 'Let me check.' });
      writeChunk(res, {
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'clock', arguments: '' } },
        ],
      });
      writeChunk(res, {}, 'tool_calls');
      endSse(res);
    });
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k' });

    const { events } = await collect(llm.generate({ messages: [user('Time?')] }));

    expect(events).toEqual([
      { type: 'token', text: 'Let me check.' },
      { type: 'tool-call', call: { id: 'call_1', name: 'clock', arguments: '{}' } },
      { type: 'done', finishReason: 'tool-calls' },
    ]);
  });

  it('maps length and content_filter finish reasons', async () => {
    server = await startChatServer((res, _request, call) =>
      streamReply(res, ['cut'], call === 0 ? 'length' : 'content_filter'),
    );
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k' });

    const first = await collect(llm.generate({ messages: [user('a')] }));
    const second = await collect(llm.generate({ messages: [user('b')] }));

    expect(first.events.at(-1)).toEqual({ type: 'done', finishReason: 'length' });
    expect(second.events.at(-1)).toEqual({ type: 'done', finishReason: 'content-filter' });
  });

  it('is cold: nothing is sent until subscription, and each subscription sends one request', async () => {
    server = await startChatServer((res) => streamReply(res, ['ok']));
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k' });
    const reply$ = llm.generate({ messages: [user('Hi')] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);

    const a = await collect(reply$);
    const b = await collect(reply$);

    expect(textOf(a.events)).toBe('ok');
    expect(textOf(b.events)).toBe('ok');
    expect(server.requests).toHaveLength(2);
  });

  it('builds from a registry selection and rejects bad options with a ConfigError', () => {
    const registry = new ProviderRegistry().register('llm', 'openai', openAiLlmFactory);

    const llm = registry.create('llm', { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'k' });

    expect(llm.name).toBe('openai');
    expect(() =>
      registry.create('llm', { provider: 'openai', model: 'm', apiKey: 'k', temprature: 1 }),
    ).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    expect(() => registry.create('llm', { provider: 'openai', model: '' })).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });

  it('refuses to build for api.openai.com without a key', () => {
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    try {
      expect(() => new OpenAiLlm({ model: 'gpt-4o-mini' })).toThrow(
        expect.objectContaining({ code: 'config_invalid' }),
      );
    } finally {
      if (saved.key !== undefined) process.env.OPENAI_API_KEY = saved.key;
      if (saved.url !== undefined) process.env.OPENAI_BASE_URL = saved.url;
    }
  });
});

describe('OpenAiLlm bad input', () => {
  it('fails a request it cannot build with a ProviderRequestError, sending nothing', async () => {
    server = await startChatServer((res) => streamReply(res, ['never']));
    const llm = new OpenAiLlm({ model: 'm', baseURL: server.baseURL, apiKey: 'k' });

    const { error } = await collect(llm.generate({ messages: undefined } as never));

    expect(error).toMatchObject({ name: 'ProviderRequestError', code: 'provider_invalid_request' });
    expect(server.requests).toHaveLength(0);
  });
});
