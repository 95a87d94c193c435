import { once } from 'node:events';
import { createServer } from 'node:net';
import { collect, textOf } from '@voxduplex/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiLlm, type OpenAiLlmOptions } from '../src/index';
import {
  type ChatServer,
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

const request = { messages: [{ role: 'user' as const, content: 'Hi' }] };
const llmFor = (baseURL: string, options: Partial<OpenAiLlmOptions> = {}) =>
  new OpenAiLlm({ model: 'm', baseURL, apiKey: 'k', retryBaseDelayMs: 1, ...options });

describe('OpenAiLlm failures', () => {
  it('fails with a ProviderTimeoutError when no token arrives in time, and closes the request', async () => {
    // Headers and the role chunk come at once; the model then never speaks.
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { role: 'assistant', content: '' });
    });
    const llm = llmFor(server.baseURL, { firstTokenTimeoutMs: 500 });

    const { events, error } = await collect(llm.generate(request));

    expect(events).toEqual([]);
    expect(error).toMatchObject({
      name: 'ProviderTimeoutError',
      code: 'provider_timeout',
      source: 'llm:openai',
    });
    await server.requests[0]?.closed;
    expect(server.requests).toHaveLength(1);
  });

  it('fails with a ProviderTimeoutError when the server never sends headers', async () => {
    server = await startChatServer(() => {});
    const llm = llmFor(server.baseURL, { firstTokenTimeoutMs: 500 });

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ code: 'provider_timeout' });
    await server.requests[0]?.closed;
  });

  it('fails with a ProviderTimeoutError when the stream goes quiet after the first token', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { content: 'Well' });
    });
    const llm = llmFor(server.baseURL, { idleTimeoutMs: 500 });

    const { events, error } = await collect(llm.generate(request));

    expect(textOf(events)).toBe('Well');
    expect(error).toMatchObject({ code: 'provider_timeout' });
    expect(server.requests).toHaveLength(1);
  });

  it('errors without retrying when the connection drops after a token was emitted', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { content: 'Half a' });
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const llm = llmFor(server.baseURL);

    const { events, error } = await collect(llm.generate(request));

    expect(textOf(events)).toBe('Half a');
    expect(error).toMatchObject({ name: 'ProviderUnavailableError', retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('errors when the stream ends cleanly but without a finish reason', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      writeChunk(res, { content: 'Half a' });
      res.end();
    });
    const llm = llmFor(server.baseURL);

    const { events, error } = await collect(llm.generate(request));

    expect(textOf(events)).toBe('Half a');
    expect(error).toMatchObject({ code: 'provider_unavailable' });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a stream that dropped before anything was emitted', async () => {
    server = await startChatServer((res, _request, call) => {
      if (call === 0) {
        startSse(res);
        writeChunk(res, { role: 'assistant', content: '' });
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      streamReply(res, ['Second', ' try']);
    });
    const llm = llmFor(server.baseURL);

    const { events, error } = await collect(llm.generate(request));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Second try');
    expect(server.requests).toHaveLength(2);
  });

  it('waits out a 429 retry-after, then streams the reply', async () => {
    server = await startChatServer((res, _request, call) => {
      if (call === 0) {
        sendError(
          res,
          429,
          { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
          {
            'retry-after': '1',
          },
        );
        return;
      }
      streamReply(res, ['Hello']);
    });
    const llm = llmFor(server.baseURL);

    const { events, error } = await collect(llm.generate(request));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hello');
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces a 429 whose retry-after is longer than maxRetryDelayMs, with retryAfterMs', async () => {
    server = await startChatServer((res) =>
      sendError(
        res,
        429,
        { message: 'Rate limit reached', code: 'rate_limit_exceeded' },
        { 'retry-after': '120' },
      ),
    );
    const llm = llmFor(server.baseURL, { maxRetryDelayMs: 2_000 });

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ name: 'ProviderQuotaError', retryAfterMs: 120_000, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry an exhausted quota', async () => {
    server = await startChatServer((res) =>
      sendError(res, 429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }),
    );
    const llm = llmFor(server.baseURL);

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ code: 'provider_quota', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [401, 'ProviderAuthError', 'provider_auth'],
    [403, 'ProviderAuthError', 'provider_auth'],
    [400, 'ProviderRequestError', 'provider_invalid_request'],
    [404, 'ProviderRequestError', 'provider_invalid_request'],
  ])('maps HTTP %i to %s without retrying', async (status, name, code) => {
    server = await startChatServer((res) => sendError(res, status, { message: `status ${status}` }));
    const llm = llmFor(server.baseURL);

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ name, code, retryable: false, source: 'llm:openai' });
    expect(error?.message).toContain(`status ${status}`);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx up to maxRetries, then fails with ProviderUnavailableError', async () => {
    server = await startChatServer((res) =>
      sendError(res, 503, { message: 'overloaded', type: 'server_error' }),
    );
    const llm = llmFor(server.baseURL, { maxRetries: 2 });

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ name: 'ProviderUnavailableError', retryable: true, attempts: 3 });
    expect(error?.cause).toMatchObject({ message: expect.stringContaining('overloaded') });
    expect(server.requests).toHaveLength(3);
  });

  it('recovers when a 500 is followed by a good reply', async () => {
    server = await startChatServer((res, _request, call) =>
      call === 0 ? sendError(res, 500, { message: 'boom' }) : streamReply(res, ['fine']),
    );
    const llm = llmFor(server.baseURL);

    const { events, error } = await collect(llm.generate(request));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('fine');
  });

  it('fails with ProviderUnavailableError when nothing listens on the port', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const llm = llmFor(`http://127.0.0.1:${port}/v1`, { maxRetries: 1 });

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ name: 'ProviderUnavailableError', code: 'provider_unavailable' });
  });

  it('maps an error event inside the stream to a typed error', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      res.write(`data: ${JSON.stringify({ error: { message: 'model crashed', type: 'server_error' } })}\n\n`);
      res.end();
    });
    const llm = llmFor(server.baseURL, { maxRetries: 0 });

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ code: 'provider_unavailable' });
    expect(error?.message).toContain('model crashed');
  });

  it('maps a malformed event to a ProtocolError', async () => {
    server = await startChatServer((res) => {
      startSse(res);
      res.end('data: {not json\n\n');
    });
    const llm = llmFor(server.baseURL);

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ name: 'ProtocolError', code: 'protocol_invalid' });
    expect(server.requests).toHaveLength(1);
  });
});
