import { ProviderRegistry } from '@voxduplex/core';
import { collect, textOf } from '@voxduplex/test-support';
import { io as ioClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AI_SERVICE_EVENTS,
  AiServiceConnection,
  closeSharedAiServiceConnections,
  SocketIoLlm,
  socketIoLlmFactory,
} from '../src/index';
import { type ReferenceAiService, startReferenceAiService } from '../src/testing/index';

let service: ReferenceAiService | undefined;
let connection: AiServiceConnection | undefined;
afterEach(async () => {
  connection?.close();
  connection = undefined;
  closeSharedAiServiceConnections();
  await service?.close();
  service = undefined;
});

const user = (content: string) => ({ role: 'user' as const, content });

async function setUp(options: Parameters<typeof startReferenceAiService>[0] = {}) {
  service = await startReferenceAiService(options);
  connection = new AiServiceConnection({
    url: service.url,
    reconnectionDelayMs: 20,
    reconnectionDelayMaxMs: 50,
  });
  return { service, connection };
}

describe('SocketIoLlm', () => {
  it('sends the history and streams the reply one token per event', async () => {
    const { service, connection } = await setUp({ reply: 'Paris is lovely in spring.' });
    const llm = new SocketIoLlm({ connection, sessionId: 'session-1' });
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      user('Where should I go?'),
      { role: 'assistant' as const, content: 'Maybe', interrupted: true },
      user('In Europe'),
    ];

    const { events, error } = await collect(llm.generate({ messages, temperature: 0.2 }));

    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'token', text: 'Paris' },
      { type: 'token', text: ' is' },
      { type: 'token', text: ' lovely' },
      { type: 'token', text: ' in' },
      { type: 'token', text: ' spring.' },
      { type: 'done', finishReason: 'stop' },
    ]);
    expect(service.requests).toEqual([
      { requestId: expect.any(String), sessionId: 'session-1', messages, temperature: 0.2 },
    ]);
  });

  it('carries the requests of many sessions over one connection without mixing them', async () => {
    const { service, connection } = await setUp({ tokenIntervalMs: 2 });
    const alice = new SocketIoLlm({ connection, sessionId: 'alice' });
    const bob = new SocketIoLlm({ connection, sessionId: 'bob' });

    const [a, b] = await Promise.all([
      collect(alice.generate({ messages: [user('one two three four')] })),
      collect(bob.generate({ messages: [user('five six seven eight')] })),
    ]);

    expect(textOf(a.events)).toBe('You said: one two three four');
    expect(textOf(b.events)).toBe('You said: five six seven eight');
    expect(service.connections).toBe(1);
    expect(new Set(service.requests.map((request) => request.requestId)).size).toBe(2);
  });

  it('passes tool definitions and history with tool results, and emits the tool calls it gets back', async () => {
    const { service, connection } = await setUp({
      reply: [
        { text: 'Let me look.' },
        { toolCall: { id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } } },
      ],
    });
    const llm = new SocketIoLlm({ connection });
    const tools = [{ name: 'weather', description: 'Weather now', parameters: { type: 'object' } }];
    const messages = [
      user('Weather?'),
      {
        role: 'assistant' as const,
        content: '',
        toolCalls: [{ id: 'c0', name: 'weather', arguments: '{}' }],
      },
      { role: 'tool' as const, toolCallId: 'c0', name: 'weather', content: 'need a city' },
    ];

    const { events } = await collect(llm.generate({ messages, tools }));

    expect(events).toEqual([
      { type: 'token', text: 'Let' },
      { type: 'token', text: ' me' },
      { type: 'token', text: ' look.' },
      { type: 'tool-call', call: { id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' } },
      { type: 'done', finishReason: 'tool-calls' },
    ]);
    expect(service.requests[0]).toMatchObject({ messages, tools });
  });

  it('maps a service error to the typed error, keeping retryAfterMs', async () => {
    const { connection } = await setUp({
      reply: [{ error: { code: 'provider_quota', message: 'upstream 429', retryAfterMs: 1500 } }],
    });
    const llm = new SocketIoLlm({ connection });

    const { error } = await collect(llm.generate({ messages: [user('Hi')] }));

    expect(error).toMatchObject({ name: 'ProviderQuotaError', retryAfterMs: 1500, source: 'llm:socketio' });
    expect(error?.message).toContain('upstream 429');
  });

  it('rejects a malformed history at once with a ProviderRequestError, sending nothing', async () => {
    const { service, connection } = await setUp();
    const llm = new SocketIoLlm({ connection });

    const empty = await collect(llm.generate({ messages: [] }));
    const garbage = await collect(llm.generate({ messages: [{ role: 'robot', content: 1 }] } as never));
    const missing = await collect(llm.generate(undefined as never));

    for (const { error } of [empty, garbage, missing]) {
      expect(error).toMatchObject({ name: 'ProviderRequestError', code: 'provider_invalid_request' });
    }
    expect(service.requests).toHaveLength(0);
  });

  it('the reference service answers a request that breaks the contract with protocol_invalid', async () => {
    const { service } = await setUp();
    const raw = ioClient(service.url, { transports: ['websocket'], forceNew: true });
    try {
      const reply = new Promise((resolve) => raw.on(AI_SERVICE_EVENTS.error, resolve));
      raw.emit(AI_SERVICE_EVENTS.request, { requestId: 'r1', messages: [] });

      expect(await reply).toMatchObject({ requestId: 'r1', error: { code: 'protocol_invalid' } });
      expect(service.requests).toHaveLength(0);
    } finally {
      raw.close();
    }
  });

  it('builds from a registry selection sharing one connection, and rejects bad options', async () => {
    service = await startReferenceAiService({ reply: 'hi' });
    const registry = new ProviderRegistry().register('llm', 'socketio', socketIoLlmFactory);
    const first = registry.create('llm', { provider: 'socketio', url: service.url, sessionId: 'a' });
    const second = registry.create('llm', { provider: 'socketio', url: service.url, sessionId: 'b' });

    await collect(first.generate({ messages: [user('x')] }));
    await collect(second.generate({ messages: [user('y')] }));

    expect(service.connections).toBe(1);
    expect(service.requests.map((request) => request.sessionId)).toEqual(['a', 'b']);
    expect(() => registry.create('llm', { provider: 'socketio', url: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
    expect(() =>
      registry.create('llm', { provider: 'socketio', url: service?.url, sesionId: 'typo' }),
    ).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });

  it('reads the URL from AI_CHAT_BASE_URL and refuses to start without one', async () => {
    const saved = process.env.AI_CHAT_BASE_URL;
    try {
      delete process.env.AI_CHAT_BASE_URL;
      expect(() => new AiServiceConnection()).toThrow(expect.objectContaining({ code: 'config_invalid' }));
      const { service } = await setUp({ reply: 'from env' });
      process.env.AI_CHAT_BASE_URL = service.url;
      const fromEnv = new AiServiceConnection();
      try {
        const { events } = await collect(
          new SocketIoLlm({ connection: fromEnv }).generate({ messages: [user('x')] }),
        );
        expect(textOf(events)).toBe('from env');
      } finally {
        fromEnv.close();
      }
    } finally {
      if (saved === undefined) delete process.env.AI_CHAT_BASE_URL;
      else process.env.AI_CHAT_BASE_URL = saved;
    }
  });
});
