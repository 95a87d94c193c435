import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  createVoiceSession,
  ProviderAuthError,
  ProviderUnavailableError,
  type VoxError,
} from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts, recordingLogger } from '@voxduplex/core/testing';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectVoiceAgent, type VoiceAgentClient, type VoiceAgentClientEvents } from '../src/client/index';
import {
  type AttachVoiceAgentOptions,
  attachVoiceAgent,
  type ConnectRefusal,
  type VoiceAgentHooks,
  voiceServerOptions,
} from '../src/index';
import { nextEvent, rawClient } from './harness';

/** Every hook, recorded in call order as `[name, event]`. */
function recordingHooks() {
  const calls: [string, Record<string, unknown>][] = [];
  const record = (name: string) => (event: object) => {
    calls.push([name, event as Record<string, unknown>]);
  };
  const hooks: Required<VoiceAgentHooks> = {
    connected: record('connected'),
    authenticated: record('authenticated'),
    refused: record('refused'),
    sessionStarted: record('sessionStarted'),
    sessionEnded: record('sessionEnded'),
    sessionError: record('sessionError'),
  };
  return { hooks, calls, names: () => calls.map(([name]) => name) };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real Socket.IO server on 127.0.0.1, port 0, with the agent on `/voice` built from `options`. */
async function serve(options: AttachVoiceAgentOptions) {
  const http = createServer();
  const io = new Server(http, voiceServerOptions());
  const agent = attachVoiceAgent(io.of('/voice'), options);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    agent.close();
    await io.close();
  });
  return { io, agent, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/voice` };
}

/** The next `event` of a voice client (the bound fails the test, it is not a timing claim). */
function nextOf<K extends keyof VoiceAgentClientEvents>(
  voice: VoiceAgentClient,
  event: K,
  timeoutMs = 5000,
): Promise<VoiceAgentClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no '${String(event)}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const off = voice.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

function client(url: string, options: Parameters<typeof connectVoiceAgent>[1] = {}): VoiceAgentClient {
  const connected = connectVoiceAgent(url, { reconnectionDelayMs: 50, ...options });
  cleanups.push(() => connected.close());
  return connected;
}

/** The `connect_error` data a raw client gets for its handshake. */
async function refusalOf(url: string, auth: Record<string, unknown>): Promise<ConnectRefusal> {
  const socket = rawClient(url, auth);
  cleanups.push(() => socket.disconnect());
  const error = await nextEvent<Error & { data: ConnectRefusal }>(socket, 'connect_error');
  return error.data;
}

const createSession = () =>
  createVoiceSession({ stt: new FakeStt(), llm: new FakeLlm(), tts: new FakeTts() });

describe('attachVoiceAgent fails loudly', () => {
  it('logs every refused handshake at warn with its reason, and tells the refused hook', async () => {
    const { logger, lines } = recordingLogger();
    const { hooks, calls } = recordingHooks();
    const { url } = await serve({ authenticate: () => null, createSession, logger, hooks });
    expect(await refusalOf(url, { token: 'x' })).toMatchObject({ reason: 'unauthorized' });
    expect(await refusalOf(url, { protocol: 99 })).toMatchObject({ reason: 'protocol_mismatch' });
    expect(lines.filter((line) => line.level === 'warn')).toMatchObject([
      {
        message: 'voice connection refused (unauthorized): authenticate returned null',
        fields: { namespace: '/voice', reason: 'unauthorized' },
      },
      {
        message: 'voice connection refused (protocol_mismatch): client speaks protocol 99, server 1',
        fields: { namespace: '/voice', reason: 'protocol_mismatch' },
      },
    ]);
    expect(calls.filter(([name]) => name === 'refused').map(([, event]) => event)).toMatchObject([
      { reason: 'unauthorized', message: 'authenticate returned null' },
      { reason: 'protocol_mismatch' },
    ]);
  });

  it('logs an exception thrown in authenticate with the error itself, and the client is refused', async () => {
    const { logger, lines } = recordingLogger();
    const { hooks, calls } = recordingHooks();
    const thrown = new TypeError("Cannot read properties of undefined (reading 'verify')");
    const { url, agent } = await serve({
      authenticate: () => {
        throw thrown;
      },
      createSession,
      logger,
      hooks,
    });
    expect(await refusalOf(url, { token: 'x' })).toEqual({
      reason: 'unauthorized',
      message: 'authentication failed',
    });
    const warned = lines.filter((line) => line.level === 'warn');
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message).toBe('voice connection refused (unauthorized): authenticate threw');
    expect(warned[0]!.fields.err).toBe(thrown);
    expect(calls.find(([name]) => name === 'refused')?.[1]).toMatchObject({
      reason: 'unauthorized',
      message: 'authenticate threw',
      error: thrown,
    });
    expect(agent.stats()).toMatchObject({ refusedConnections: 1, sessions: 0 });
  });

  it('prints refusals to the console by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const { url } = await serve({ authenticate: () => false, createSession });
    await refusalOf(url, { token: 'x' });
    expect(warn).toHaveBeenCalledWith(
      '[voxduplex] voice connection refused (unauthorized): authenticate returned false',
      expect.objectContaining({ namespace: '/voice', reason: 'unauthorized' }),
    );
  });

  it('calls the hooks in order through a session’s life, and logs its error by code, source and causes, never a secret', async () => {
    const { logger, lines } = recordingLogger();
    const { hooks, calls, names } = recordingHooks();
    const cause = Object.assign(new Error('socket hang up'), {
      request: { headers: { authorization: 'Bearer sk-secret-123' } },
    });
    const failure = new ProviderUnavailableError('upstream answered 503', { source: 'llm:fake', cause });
    const ended = new Promise<void>((resolve) => {
      hooks.sessionEnded = (event) => {
        calls.push(['sessionEnded', event]);
        resolve();
      };
    });
    const { url } = await serve({
      authenticate: () => ({ id: 'alice' }),
      createSession: () =>
        createVoiceSession({
          stt: new FakeStt(),
          llm: new FakeLlm({ reply: [{ error: failure }] }),
          tts: new FakeTts(),
        }),
      logger,
      hooks,
    });
    const voice = client(url);
    const ready = await nextOf(voice, 'ready');
    const sessionErrorSent = nextOf(voice, 'error');
    voice.sendText('hello');
    expect(await sessionErrorSent).toMatchObject({ reason: 'session_error', code: 'provider_unavailable' });
    voice.close();
    await ended;

    expect(names()).toEqual(['connected', 'authenticated', 'sessionStarted', 'sessionError', 'sessionEnded']);
    const [connected, authenticated, started, errored, endedEvent] = calls.map(([, event]) => event);
    expect(connected).toMatchObject({ socketId: expect.any(String) });
    expect(authenticated).toMatchObject({ socketId: connected!.socketId, identity: { id: 'alice' } });
    expect(started).toMatchObject({ sessionId: ready.sessionId, identity: { id: 'alice' } });
    expect((errored!.error as VoxError).code).toBe('provider_unavailable');
    expect(errored).toMatchObject({
      sessionId: ready.sessionId,
      identityId: 'alice',
      turnId: expect.any(String),
    });
    expect(endedEvent).toEqual({
      sessionId: ready.sessionId,
      identityId: 'alice',
      reason: 'disconnected: client namespace disconnect',
    });

    const logged = lines.find((line) => line.fields.code === 'provider_unavailable');
    expect(logged).toMatchObject({
      level: 'warn',
      message: expect.stringContaining('provider_unavailable from llm:fake: upstream answered 503'),
      fields: { sessionId: ready.sessionId, identityId: 'alice', retryable: true, source: 'llm:fake' },
    });
    expect(String(logged!.fields.cause)).toContain('Error: socket hang up');
    expect(JSON.stringify(lines)).not.toContain('sk-secret-123');
  });

  it('logs a createSession that throws at error, and tells the sessionError hook without a sessionId', async () => {
    const { logger, lines } = recordingLogger();
    const { hooks, calls } = recordingHooks();
    const { url } = await serve({
      authenticate: () => ({ id: 'alice' }),
      createSession: () => {
        throw new ProviderAuthError('key sk-secret-123 refused', { source: 'stt:fake' });
      },
      logger,
      hooks,
    });
    const voice = client(url);
    expect(await nextOf(voice, 'error')).toMatchObject({ reason: 'session_error', code: 'provider_auth' });
    expect(lines.filter((line) => line.level === 'error')).toMatchObject([
      {
        message: 'createSession failed: provider_auth from stt:fake: key sk-secret-123 refused',
        fields: { identityId: 'alice', code: 'provider_auth' },
      },
    ]);
    expect(calls.find(([name]) => name === 'sessionError')?.[1]).toMatchObject({
      sessionId: undefined,
      identityId: 'alice',
      error: { code: 'provider_auth' },
    });
  });

  it('a hook that throws is logged at error and the client is served anyway', async () => {
    const { logger, lines } = recordingLogger();
    const { url } = await serve({
      authenticate: () => ({ id: 'alice' }),
      createSession,
      logger,
      hooks: {
        authenticated: () => {
          throw new Error('metrics backend down');
        },
      },
    });
    await nextOf(client(url), 'ready');
    expect(lines.find((line) => line.level === 'error')).toMatchObject({
      message: "voice agent hook 'authenticated' threw",
      fields: { hook: 'authenticated', err: { message: 'metrics backend down' } },
    });
  });
});

describe('who may connect', () => {
  it('without authenticate, attachVoiceAgent throws a ConfigError at start-up that names allowAnonymous', () => {
    const io = new Server(createServer());
    cleanups.push(() => io.close());
    const attach = () =>
      // @ts-expect-error: the type asks for authenticate or allowAnonymous: true
      attachVoiceAgent(io.of('/voice'), { createSession });
    expect(attach).toThrow(ConfigError);
    expect(attach).toThrow(/authenticate: required.*allowAnonymous: true/);
    expect(io.of('/voice').listenerCount('connection')).toBe(0);
  });

  it('with both authenticate and allowAnonymous, it throws rather than guess', () => {
    const io = new Server(createServer());
    cleanups.push(() => io.close());
    const both = { authenticate: () => ({ id: 'alice' }), allowAnonymous: true as const, createSession };
    // @ts-expect-error: one or the other
    expect(() => attachVoiceAgent(io.of('/voice'), both)).toThrow(/both given/);
  });

  it("allowAnonymous lets every client in as 'anonymous-<socket id>'", async () => {
    const identities: { identityId: string; socketId: string }[] = [];
    const { url } = await serve({
      allowAnonymous: true,
      createSession: ({ identity, socketId }) => {
        identities.push({ identityId: identity.id, socketId });
        return createSession();
      },
      logger: recordingLogger().logger,
    });
    await Promise.all([nextOf(client(url), 'ready'), nextOf(client(url), 'ready')]);
    expect(identities).toHaveLength(2);
    for (const { identityId, socketId } of identities) expect(identityId).toBe(`anonymous-${socketId}`);
    expect(identities[0]!.identityId).not.toBe(identities[1]!.identityId);
  });

  it('an anonymous client comes back to its session after a dropped connection', async () => {
    const { url, io } = await serve({
      allowAnonymous: true,
      createSession,
      logger: recordingLogger().logger,
    });
    const voice = client(url);
    const first = await nextOf(voice, 'ready');
    const again = nextOf(voice, 'ready');
    for (const socket of io.of('/voice').sockets.values()) socket.conn.close();
    expect(await again).toMatchObject({ resumed: true, sessionId: first.sessionId });
  });
});
