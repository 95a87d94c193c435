import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collect, textOf, trackTimers } from '@voxduplex/test-support';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AI_SERVICE_EVENTS, AiServiceConnection, SocketIoLlm } from '../src/index';
import { type ReferenceAiService, startReferenceAiService } from '../src/testing/index';
import { until } from './until';

// Distinct delays so the provider's own timers can be told apart from Socket.IO's.
const FIRST_TOKEN_MS = 7_001;
const IDLE_MS = 7_002;

let services: ReferenceAiService[] = [];
let connection: AiServiceConnection | undefined;
let timers: ReturnType<typeof trackTimers>;
beforeEach(() => {
  timers = trackTimers([FIRST_TOKEN_MS, IDLE_MS]);
});
afterEach(async () => {
  timers.restore();
  connection?.close();
  connection = undefined;
  for (const service of services) await service.close();
  services = [];
});

const request = { messages: [{ role: 'user' as const, content: 'Tell me everything' }] };

async function startService(options: Parameters<typeof startReferenceAiService>[0] = {}) {
  const service = await startReferenceAiService(options);
  services.push(service);
  return service;
}

function connect(url: string, options: Partial<ConstructorParameters<typeof AiServiceConnection>[0]> = {}) {
  connection = new AiServiceConnection({
    url,
    reconnectionDelayMs: 20,
    reconnectionDelayMaxMs: 50,
    ...options,
  });
  return connection;
}

const llmOn = (on: AiServiceConnection, options: { firstTokenTimeoutMs?: number } = {}) =>
  new SocketIoLlm({
    connection: on,
    firstTokenTimeoutMs: FIRST_TOKEN_MS,
    idleTimeoutMs: IDLE_MS,
    ...options,
  });

describe('SocketIoLlm failures and teardown', () => {
  it('unsubscribing mid-reply sends chat:abort, and the service stops generating', async () => {
    const service = await startService({
      reply: 'one two three four five six seven eight',
      tokenIntervalMs: 20,
    });
    const llm = llmOn(connect(service.url));

    const tokens: string[] = [];
    let requestId = '';
    await new Promise<void>((resolve) => {
      const subscription = llm.generate(request).subscribe((event) => {
        if (event.type !== 'token') return;
        tokens.push(event.text);
        if (tokens.length === 2) {
          requestId = service.requests[0]?.requestId ?? '';
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    await until(() => service.aborts.length === 1);

    expect(service.aborts).toEqual([requestId]);
    expect(service.activeRequests).toBe(0);
    expect(connection?.pendingRequests).toBe(0);
    expect(timers.open()).toBe(0);
  });

  it('a completed reply leaves no timer and no pending request', async () => {
    const service = await startService({ reply: 'short' });
    const llm = llmOn(connect(service.url));

    const { error } = await collect(llm.generate(request));

    expect(error).toBeUndefined();
    expect(timers.created()).toBeGreaterThan(0);
    expect(timers.open()).toBe(0);
    expect(connection?.pendingRequests).toBe(0);
  });

  it('fails a request in flight with a retryable error when the connection drops, then works after reconnecting', async () => {
    const service = await startService({
      reply: (_request, call) =>
        call === 0 ? [{ text: 'Before the' }, { dropConnection: true }] : 'After reconnect.',
    });
    const on = connect(service.url);
    const llm = llmOn(on);

    const lost = await collect(llm.generate(request));
    const next = await collect(llm.generate(request));

    expect(textOf(lost.events)).toBe('Before the');
    expect(lost.error).toMatchObject({ name: 'ProviderUnavailableError', retryable: true });
    expect(next.error).toBeUndefined();
    expect(textOf(next.events)).toBe('After reconnect.');
    expect(service.requests).toHaveLength(2);
    expect(timers.open()).toBe(0);
  });

  it('survives a service restart on the same port: the next request goes to the new process', async () => {
    const first = await startService({ reply: 'first process' });
    const on = connect(first.url);
    const llm = llmOn(on);
    expect(textOf((await collect(llm.generate(request))).events)).toBe('first process');

    await first.close();
    await until(() => !on.isConnected);
    const second = await startService({ reply: 'second process', port: first.port });
    await until(() => on.isConnected);

    const { events, error } = await collect(llm.generate(request));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('second process');
    expect(second.requests).toHaveLength(1);
  });

  it('fails fast with a retryable ProviderUnavailableError when the service is down', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    const llm = llmOn(connect(`http://127.0.0.1:${port}`));

    const { error } = await collect(llm.generate(request));

    expect(error).toMatchObject({ name: 'ProviderUnavailableError', retryable: true });
    expect(timers.open()).toBe(0);
  });

  it('reports a refused handshake as ProviderAuthError, and connects with the right token', async () => {
    const service = await startService({ authToken: 's3cret', reply: 'welcome' });

    const refused = await collect(
      llmOn(connect(service.url, { auth: { token: 'wrong' } })).generate(request),
    );
    connection?.close();
    const accepted = await collect(
      llmOn(connect(service.url, { auth: { token: 's3cret' } })).generate(request),
    );

    expect(refused.error).toMatchObject({
      name: 'ProviderAuthError',
      code: 'provider_auth',
      retryable: false,
    });
    expect(textOf(accepted.events)).toBe('welcome');
  });

  it('times out and aborts when the service never answers', async () => {
    const service = await startService({ reply: [{ stallMs: 60_000 }] });
    const llm = llmOn(connect(service.url), { firstTokenTimeoutMs: 300 });

    const { error } = await collect(llm.generate(request));
    await until(() => service.aborts.length === 1);

    expect(error).toMatchObject({ name: 'ProviderTimeoutError', code: 'provider_timeout' });
    expect(service.activeRequests).toBe(0);
  });

  it('closing the connection fails open requests for good and disconnects from the service', async () => {
    const service = await startService({ reply: [{ text: 'Hold' }, { stallMs: 60_000 }] });
    const on = connect(service.url);
    const events: string[] = [];
    const ended = new Promise<unknown>((resolve) =>
      llmOn(on)
        .generate(request)
        .subscribe({ next: (event) => events.push(event.type), error: resolve }),
    );
    await until(() => events.length === 1);

    on.close();
    const error = await ended;
    const afterClose = await collect(llmOn(on).generate(request));
    await until(() => service.connections === 0 && service.activeRequests === 0);

    expect(error).toMatchObject({ name: 'ProviderUnavailableError', retryable: false });
    expect(afterClose.error).toMatchObject({ name: 'ProviderUnavailableError', retryable: false });
    expect(timers.open()).toBe(0);
  });

  it('ends a request with a ProtocolError when the service sends a malformed event for it', async () => {
    const httpServer = createServer();
    const io = new Server(httpServer, { transports: ['websocket'] });
    io.on('connection', (socket) =>
      socket.on(AI_SERVICE_EVENTS.request, ({ requestId }: { requestId: string }) => {
        socket.emit(AI_SERVICE_EVENTS.token, { requestId: 'someone-else', text: 'ignored' });
        socket.emit(AI_SERVICE_EVENTS.token, { requestId, text: 42 });
      }),
    );
    httpServer.listen(0, '127.0.0.1');
    await once(httpServer, 'listening');
    try {
      const { port } = httpServer.address() as AddressInfo;
      const llm = llmOn(connect(`http://127.0.0.1:${port}`));

      const { events, error } = await collect(llm.generate(request));

      expect(events).toEqual([]);
      expect(error).toMatchObject({ name: 'ProtocolError', code: 'protocol_invalid' });
      expect(connection?.pendingRequests).toBe(0);
    } finally {
      connection?.close();
      await io.close();
    }
  });
});
