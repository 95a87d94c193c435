import type { AttachVoiceAgentOptions } from '@voxduplex/transport-socketio';
import { afterEach, describe, expect, it } from 'vitest';
import { connectOutcome, nextEvent, rawClient, waitFor } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

let server: VoiceServer | undefined;
const sockets: ReturnType<typeof rawClient>[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

function connect(url: string, auth: Record<string, unknown>) {
  const socket = rawClient(url, auth);
  sockets.push(socket);
  return socket;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Authenticate = AttachVoiceAgentOptions['authenticate'];

/** Nothing a refused handshake may have caused on the server. */
function expectNoCost(target: VoiceServer, refused: number) {
  expect(target.calls.createSession).toBe(0);
  expect(target.providers.calls).toEqual({ transcribe: 0, generate: 0, synthesize: 0 });
  expect(target.providers.openStreams).toBe(0);
  expect(target.agent.stats()).toMatchObject({
    sessions: 0,
    connectedSockets: 0,
    refusedConnections: refused,
  });
  expect(target.io.of('/voice').sockets.size).toBe(0);
}

describe('authentication comes before any cost', () => {
  const refusingAuthenticators: [string, Authenticate][] = [
    ['returns null', () => null],
    ['returns false', () => false],
    [
      'throws',
      () => {
        throw new Error('token store down');
      },
    ],
    ['rejects', async () => Promise.reject(new Error('token store down'))],
    ['answers null after 300 ms', async () => sleep(300).then(() => null)],
    ['returns an identity without a string id', () => ({ id: 42 }) as never],
  ];

  it.each(refusingAuthenticators)(
    'an authenticate that %s refuses with unauthorized, and no session or provider is touched',
    async (_how, authenticate) => {
      server = await startVoiceServer({ authenticate });
      const socket = connect(server.url, { token: 'anything' });
      const outcome = await connectOutcome(socket);
      expect(outcome).toMatchObject({ data: { reason: 'unauthorized', message: 'authentication failed' } });
      expect(server.calls.authenticate).toBe(1);
      expectNoCost(server, 1);
    },
  );

  it.each([
    ['a protocol version the server does not speak', { token: 'good', protocol: 2 }],
    ['a protocol field of the wrong type', { token: 'good', protocol: 'one' }],
    ['a resume token of the wrong type', { token: 'good', resumeToken: 12345 }],
    ['an oversized resume token', { token: 'good', resumeToken: 'x'.repeat(10_000) }],
  ])('a handshake with %s is refused before authenticate runs', async (_what, auth) => {
    server = await startVoiceServer();
    const outcome = await connectOutcome(connect(server.url, auth));
    expect(outcome).toMatchObject({ data: { reason: 'protocol_mismatch' } });
    expect(server.calls.authenticate).toBe(0);
    expectNoCost(server, 1);
  });

  it('events sent while a slow authenticate is pending close the connection and never reach a session', async () => {
    let release: () => void = () => {};
    server = await startVoiceServer({
      authenticate: async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { id: 'alice' };
      },
    });
    const socket = connect(server.url, { token: 'good' });
    await waitFor(() => server!.calls.authenticate === 1, 'authenticate to start');
    // What a hand-written client could push before its namespace connect is answered.
    socket.io.engine.send('2/voice,["text",{"text":"bill me"}]');
    socket.io.engine.send('2/voice,["start",{"sampleRate":16000}]');
    // Socket.IO closes a connection that sends to a namespace it has not joined yet.
    expect(await nextEvent<unknown[]>(socket, 'disconnect')).toContain('transport close');
    release();
    await sleep(50);
    expectNoCost(server, 0);
  });

  it('a client that leaves while authenticate is pending gets no session, even when authenticate then says yes', async () => {
    let release: () => void = () => {};
    server = await startVoiceServer({
      authenticate: async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { id: 'alice' };
      },
    });
    const socket = connect(server.url, { token: 'good' });
    await waitFor(() => server!.calls.authenticate === 1, 'authenticate to start');
    socket.disconnect();
    await waitFor(() => server!.openConnections() === 0, 'the connection to close');
    release();
    await sleep(50);
    expectNoCost(server, 0);
  });

  it('a thousand refused handshakes leave nothing behind', async () => {
    server = await startVoiceServer();
    for (let batch = 0; batch < 10; batch++) {
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, () => {
          const socket = rawClient(server!.url, { token: 'wrong' });
          return connectOutcome(socket).finally(() => socket.disconnect());
        }),
      );
      expect(outcomes.every((o) => o !== 'connected' && o.data?.reason === 'unauthorized')).toBe(true);
    }
    await waitFor(() => server!.openConnections() === 0, 'every refused connection to close');
    expect(server.calls.authenticate).toBe(1000);
    expectNoCost(server, 1000);
  });
});
