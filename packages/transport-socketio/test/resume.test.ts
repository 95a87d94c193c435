import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { connectVoiceAgent, type ReadyMessage, type VoiceAgentClient } from '../src/client/index';
import { nextEvent, rawClient, startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
const clients: VoiceAgentClient[] = [];
const raws: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const raw of raws.splice(0)) raw.disconnect();
  await server?.close();
});

function connect(url: string, options: Parameters<typeof connectVoiceAgent>[1] = {}) {
  const client = connectVoiceAgent(url, { auth: { token: 'good' }, reconnectionDelayMs: 50, ...options });
  clients.push(client);
  return client;
}

function raw(url: string, auth: Record<string, unknown>) {
  const socket = rawClient(url, auth);
  raws.push(socket);
  return socket;
}

/** Sends a typed turn and waits until the agent's reply has been spoken and acked in full. */
async function turn(client: VoiceAgentClient, text: string) {
  const ended = new Promise<void>((resolve) => {
    const offAudio = client.on('agent-audio', (chunk) =>
      client.playbackAck({ speechId: chunk.speechId, playedMs: chunk.offsetMs + chunk.durationMs }),
    );
    const offEnd = client.on('speech-end', () => {
      offAudio();
      offEnd();
      resolve();
    });
  });
  client.sendText(text);
  await ended;
}

const readyOf = (client: VoiceAgentClient) =>
  new Promise<ReadyMessage>((resolve) => {
    const off = client.on('ready', (ready) => {
      off();
      resolve(ready);
    });
  });

describe('session resumption', () => {
  it('re-attaches to the same session within the window and keeps the conversation', async () => {
    server = await startTestServer({
      llm: { reply: (_request, call) => (call === 0 ? 'Nice to meet you, Ada.' : 'You are Ada.') },
    });
    const client = connect(server.url);
    const first = await readyOf(client);
    await turn(client, 'My name is Ada.');
    client.sendAudio(new Int16Array(320));
    await waitFor(() => server!.stt.streams.open === 1, 'recognition open');

    const resumed = readyOf(client);
    server.dropConnections();
    await waitFor(() => server!.agent.stats().suspendedSessions === 1 || client.status === 'ready', 'a drop');
    const second = await resumed;
    expect(second).toMatchObject({ resumed: true, sessionId: first.sessionId, isStarted: true });
    expect(second.resumeToken).not.toBe(first.resumeToken);
    expect(server.agent.stats()).toMatchObject({ sessions: 1, suspendedSessions: 0, resumedSessions: 1 });
    expect(server.calls.createSession).toBe(1);

    await turn(client, 'What is my name?');
    const messages = server.llm.requests[1]!.messages;
    expect(messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      expect.objectContaining({ role: 'assistant', content: 'Nice to meet you, Ada.' }),
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('cuts a reply dropped mid-speech at the last acked position, and the history says so', async () => {
    const reply = 'First I will say this part, and then a much longer second part that never gets heard.';
    server = await startTestServer({
      llm: { reply: (_request, call) => (call === 0 ? reply : 'Sorry, where were we?') },
      tts: { chunkMs: 100, realtimeFactor: 1 },
    });
    const client = connect(server.url);
    await readyOf(client);
    let ackedMs = 0;
    const off = client.on('agent-audio', (chunk) => {
      if (chunk.offsetMs + chunk.durationMs > 1000) return;
      ackedMs = chunk.offsetMs + chunk.durationMs;
      client.playbackAck({ speechId: chunk.speechId, playedMs: ackedMs });
    });
    client.sendText('Tell me something long.');
    await waitFor(() => ackedMs >= 1000, 'a second of the reply played');
    off();
    const resumed = readyOf(client);
    server.dropConnections();
    await resumed;
    await turn(client, 'Go on.');
    const assistant = server.llm.requests[1]!.messages.find((m) => m.role === 'assistant');
    expect(assistant).toMatchObject({ role: 'assistant', interrupted: true });
    expect(reply.startsWith(assistant!.content)).toBe(true);
    expect(assistant!.content.length).toBeGreaterThan(0);
    expect(assistant!.content.length).toBeLessThan(reply.length);
  });

  it('suspends provider streams while the client is away', async () => {
    server = await startTestServer();
    const client = connect(server.url, { reconnection: false });
    await readyOf(client);
    client.sendAudio(new Int16Array(320));
    await waitFor(() => server!.stt.streams.open === 1, 'recognition open');
    server.dropConnections();
    await waitFor(() => server!.agent.stats().suspendedSessions === 1, 'the session to be suspended');
    expect(server.openStreams()).toBe(0);
    expect(server.agent.stats().sessions).toBe(1);
  });

  it('after the window the old session is closed and the client starts a new one', async () => {
    server = await startTestServer({ resumeWindowMs: 100 });
    const client = connect(server.url, { reconnectionDelayMs: 400, reconnectionDelayMaxMs: 400 });
    const first = await readyOf(client);
    await turn(client, 'Remember the number 7.');
    const lost = new Promise((resolve) => client.on('session-lost', resolve));
    const refused = new Promise((resolve) => client.on('refused', resolve));
    const next = new Promise<ReadyMessage>((resolve) =>
      client.on('ready', (ready) => ready.sessionId !== first.sessionId && resolve(ready)),
    );
    server.dropConnections();
    expect(await refused).toMatchObject({ reason: 'resume_refused' });
    expect(await lost).toMatchObject({ sessionId: first.sessionId });
    expect(await next).toMatchObject({ resumed: false });
    expect(server.agent.sessions.has(first.sessionId)).toBe(false);
    expect(server.agent.stats()).toMatchObject({ sessions: 1, resumedSessions: 0 });

    await turn(client, 'Which number?');
    expect(server.llm.requests[1]!.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: 'Which number?' },
    ]);
  });

  it('refuses a replayed token, and a token shown by another identity', async () => {
    server = await startTestServer();
    const client = connect(server.url);
    const first = await readyOf(client);
    const resumed = readyOf(client);
    server.dropConnections();
    const second = await resumed; // the client spent first.resumeToken

    const replay = raw(server.url, { token: 'good', resumeToken: first.resumeToken });
    const replayError = await nextEvent<Error & { data: unknown }>(replay, 'connect_error');
    expect(replayError.data).toMatchObject({ reason: 'resume_refused' });

    const mallory = raw(server.url, { token: 'good', user: 'mallory', resumeToken: second.resumeToken });
    const theftError = await nextEvent<Error & { data: unknown }>(mallory, 'connect_error');
    expect(theftError.data).toMatchObject({ reason: 'resume_refused' });

    // The owner's token survived the theft attempt.
    const third = readyOf(client);
    server.dropConnections();
    expect(await third).toMatchObject({ resumed: true, sessionId: first.sessionId });
    expect(server.agent.stats()).toMatchObject({ sessions: 1, resumedSessions: 2, refusedConnections: 2 });
    expect(server.calls.createSession).toBe(1);
  });

  it('a second connection with a live token takes the session over from a half-open socket', async () => {
    server = await startTestServer();
    const alice = raw(server.url, { token: 'good' });
    const ready = await nextEvent<ReadyMessage>(alice, 'ready');
    const kicked = nextEvent(alice, 'disconnect');
    const again = raw(server.url, { token: 'good', resumeToken: ready.resumeToken });
    expect(await nextEvent<ReadyMessage>(again, 'ready')).toMatchObject({
      resumed: true,
      sessionId: ready.sessionId,
    });
    expect(((await kicked) as unknown[])[0]).toBe('io server disconnect');
    expect(server.agent.stats()).toMatchObject({ sessions: 1, connectedSockets: 1 });
  });

  it('adds no listeners across reconnections: one server event, one callback', async () => {
    server = await startTestServer();
    const client = connect(server.url);
    await readyOf(client);
    let turns = 0;
    client.on('user-turn', () => turns++);
    const listenersBefore = client.listenerCount();
    for (let i = 0; i < 3; i++) {
      const resumed = readyOf(client);
      server.dropConnections();
      await resumed;
    }
    await turn(client, 'Hello once.');
    expect(turns).toBe(1);
    expect(client.listenerCount()).toBe(listenersBefore);
    client.close();
    expect(client.listenerCount()).toBe(0);
    client.sendAudio(new Int16Array(320)); // after close: ignored, no throw
    await waitFor(() => server!.agent.stats().sessions === 0, 'the session to end with the client');
  });
});
