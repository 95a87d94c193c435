import { afterEach, describe, expect, it } from 'vitest';
import { connectVoiceAgent, type ErrorMessage, type VoiceAgentClient } from '../src/client/index';
import { startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
let client: VoiceAgentClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

describe('VoiceAgentClient', () => {
  it('keeps at most maxQueuedAudioMs of mic audio while the session is not ready', async () => {
    server = await startTestServer({ createDelayMs: 200 });
    client = connectVoiceAgent(server.url, { auth: { token: 'good' }, maxQueuedAudioMs: 500 });
    for (let i = 0; i < 100; i++) client.sendAudio(new Int16Array(320).fill(i));
    await new Promise((resolve) => client!.on('ready', resolve));
    await waitFor(() => server!.stt.framesReceived === 25, '500 ms of audio');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.stt.framesReceived).toBe(25);
  });

  it('reports messages it cannot send yet as typed errors, and discards audio while stopped', async () => {
    server = await startTestServer();
    client = connectVoiceAgent(server.url, { auth: { token: 'good' }, autoStart: false });
    const errors: ErrorMessage[] = [];
    client.on('error', (e) => errors.push(e));
    client.sendText('too early');
    expect(errors).toMatchObject([{ code: 'protocol_invalid', message: /not connected/ }]);
    await new Promise((resolve) => client!.on('ready', resolve));
    client.sendAudio(new Int16Array(320)); // not started: dropped by the client
    client.start();
    client.sendAudio(new Int16Array(320));
    client.stop();
    client.sendAudio(new Int16Array(320));
    const turn = new Promise<{ text: string }>((resolve) => client!.on('user-turn', resolve));
    client.sendText('hello');
    expect((await turn).text).toBe('hello');
    expect(server.stt.framesReceived).toBe(1);
    expect(server.agent.stats().rejectedMessages).toBe(0);
  });

  it('moves through connecting → ready → reconnecting → ready → closed', async () => {
    server = await startTestServer();
    client = connectVoiceAgent(server.url, { auth: { token: 'good' }, reconnectionDelayMs: 50 });
    const statuses: string[] = [client.status];
    client.on('status', ({ status }) => statuses.push(status));
    await new Promise((resolve) => client!.on('ready', resolve));
    const resumed = new Promise((resolve) => client!.on('ready', resolve));
    server.dropConnections();
    await resumed;
    client.close();
    expect(statuses).toEqual(['connecting', 'ready', 'reconnecting', 'ready', 'closed']);
  });
});
