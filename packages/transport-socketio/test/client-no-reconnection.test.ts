import { afterEach, describe, expect, it } from 'vitest';
import { connectVoiceAgent, type VoiceAgentClient } from '../src/client/index';
import { startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
let client: VoiceAgentClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

describe('VoiceAgentClient without reconnection', () => {
  it('reports closed, not reconnecting, when the connection drops', async () => {
    server = await startTestServer();
    client = connectVoiceAgent(server.url, { auth: { token: 'good' }, reconnection: false });
    const statuses: string[] = [client.status];
    client.on('status', ({ status }) => statuses.push(status));
    await new Promise((resolve) => client!.on('ready', resolve));
    server.dropConnections();
    await waitFor(() => client!.status !== 'ready', 'the client to notice the drop');
    expect(statuses).toEqual(['connecting', 'ready', 'closed']);
  });
});
