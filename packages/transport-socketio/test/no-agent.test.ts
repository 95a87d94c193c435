import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectionStatus,
  connectVoiceAgent,
  type ErrorMessage,
  type VoiceAgentClient,
} from '../src/client/index';
import { startTestServer } from './harness';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real Socket.IO server on 127.0.0.1, port 0, where no voice agent is attached anywhere. */
async function serverWithoutAgent(prepare: (io: Server) => void = () => {}) {
  const http = createServer();
  const io = new Server(http);
  prepare(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => io.close());
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** Connects and resolves with the client's first `error` and every status it went through. */
function firstError(url: string, readyTimeoutMs: number) {
  const client: VoiceAgentClient = connectVoiceAgent(url, { readyTimeoutMs, reconnectionDelayMs: 50 });
  cleanups.push(() => client.close());
  const statuses: ConnectionStatus[] = [client.status];
  client.on('status', ({ status }) => statuses.push(status));
  return new Promise<{ error: ErrorMessage; statuses: ConnectionStatus[] }>((resolve, reject) => {
    // A bound for a broken build, not the verdict: the error is due at once or after 100 ms.
    const timer = setTimeout(() => reject(new Error('no error within 10 s')), 10_000);
    client.on('error', (error) => {
      clearTimeout(timer);
      // `close()` follows the error in the same tick; read the statuses after it.
      queueMicrotask(() => resolve({ error, statuses }));
    });
  });
}

describe('a client with no agent to talk to', () => {
  it('on a namespace the server does not have, gets a no_agent error naming it at once, and closes', async () => {
    const base = await serverWithoutAgent();
    // readyTimeoutMs 0: the error does not come from the ready timer.
    const { error, statuses } = await firstError(`${base}/voice`, 0);
    expect(error).toMatchObject({ reason: 'no_agent', code: 'config_invalid', retryable: false });
    expect(error.message).toContain("the server has no namespace '/voice'");
    expect(error.message).toContain("attachVoiceAgent(io.of('/voice')");
    expect(statuses).toEqual(['connecting', 'closed']);
  });

  it.each([
    ['/voice', (io: Server) => io.of('/voice')],
    ['/', () => {}],
  ])(
    'on namespace %s, open but with no agent attached, gets no_agent once readyTimeoutMs passes, and closes',
    async (namespace, prepare) => {
      const base = await serverWithoutAgent(prepare);
      const { error, statuses } = await firstError(`${base}${namespace === '/' ? '' : namespace}`, 100);
      expect(error).toMatchObject({ reason: 'no_agent', code: 'config_invalid' });
      expect(error.message).toContain(`no voice agent answered on namespace '${namespace}' within 100 ms`);
      expect(error.message).toContain('voiceServerOptions()');
      expect(statuses).toEqual(['connecting', 'closed']);
    },
  );

  it('with no voice server at the address, gets one unreachable error after readyTimeoutMs and keeps trying', async () => {
    // An HTTP server with no Socket.IO, like a dev server without the /socket.io proxy.
    const http = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => http.close(resolve)));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/voice`;
    const client = connectVoiceAgent(url, {
      readyTimeoutMs: 200,
      reconnectionDelayMs: 20,
      reconnectionDelayMaxMs: 50,
    });
    cleanups.push(() => client.close());
    const errors: ErrorMessage[] = [];
    client.on('error', (error) => errors.push(error));
    await new Promise((resolve) => client.on('error', resolve));
    // Several more failed attempts later, still one report and still trying.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'unreachable', code: 'provider_unavailable', retryable: true });
    expect(errors[0]!.message).toContain(`no voice server reachable at ${url} for 200 ms`);
    expect(errors[0]!.message).toContain('proxies /socket.io');
    expect(client.status).toBe('connecting');
  });

  it('an agent that answers is not mistaken for none: after ready the timer is off', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const client = connectVoiceAgent(server.url, { auth: { token: 'good' }, readyTimeoutMs: 1000 });
    cleanups.push(() => client.close());
    const errors: ErrorMessage[] = [];
    client.on('error', (error) => errors.push(error));
    await new Promise((resolve) => client.on('ready', resolve));
    // Past the moment the timer would have fired had `ready` not stopped it.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(errors).toEqual([]);
    expect(client.status).toBe('ready');
  });
});
