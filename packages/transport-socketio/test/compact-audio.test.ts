import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { connectVoiceAgent, type VoiceAgentClient } from '../src/client/index';
import {
  attachVoiceAgent,
  COMPACT_AUDIO_MARKER,
  type ErrorMessage,
  encodeCompactAudio,
  type ReadyMessage,
} from '../src/index';
import { collectErrors, nextEvent, rawClient, startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
let client: VoiceAgentClient | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  client?.close();
  await server?.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  client = undefined;
  server = undefined;
});

function readyOf(voiceClient: VoiceAgentClient): Promise<ReadyMessage> {
  return new Promise((resolve) => {
    const off = voiceClient.on('ready', (ready) => {
      off();
      resolve(ready);
    });
  });
}

/** Every message the server's Engine.IO connections receive, binary or text. */
function tapInbound(io: Server): (string | Uint8Array)[] {
  const seen: (string | Uint8Array)[] = [];
  io.engine.on('connection', (connection: NodeJS.EventEmitter) => {
    connection.on('packet', (packet: { type: string; data?: string | Uint8Array }) => {
      if (packet.type === 'message' && packet.data !== undefined) seen.push(packet.data);
    });
  });
  return seen;
}

describe('compact audio', () => {
  it('a voice server announces it, and the client sends each frame as one binary message', async () => {
    server = await startTestServer();
    const inbound = tapInbound(server.io);
    client = connectVoiceAgent(server.url, { auth: { token: 'good' } });
    const ready = await readyOf(client);
    expect(ready.compactAudio).toBe(true);
    for (let i = 0; i < 25; i++) client.sendAudio(new Int16Array(320));
    await waitFor(() => server!.stt.framesReceived === 25, 'frames at the recognizer');
    const binary = inbound.filter((m): m is Uint8Array => typeof m !== 'string');
    expect(binary).toHaveLength(25);
    expect(binary.every((m) => m[0] === COMPACT_AUDIO_MARKER)).toBe(true);
    expect(inbound.some((m) => typeof m === 'string' && m.includes('"audio"'))).toBe(false);
  });

  it('a server built without the voice parser does not announce it, and audio goes as events', async () => {
    const http = createServer();
    const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
    const stt = new FakeStt();
    const agent = attachVoiceAgent(io.of('/voice'), {
      authenticate: () => ({ id: 'alice' }),
      createSession: () => createVoiceSession({ stt, llm: new FakeLlm(), tts: new FakeTts() }),
    });
    cleanups.push(async () => {
      agent.close();
      await io.close();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const inbound = tapInbound(io);
    client = connectVoiceAgent(`http://127.0.0.1:${(http.address() as AddressInfo).port}/voice`);
    const ready = await readyOf(client);
    expect(ready.compactAudio).toBeUndefined();
    for (let i = 0; i < 10; i++) client.sendAudio(new Int16Array(320));
    await waitFor(() => stt.framesReceived === 10, 'frames at the recognizer');
    expect(inbound.filter((m) => typeof m === 'string' && m.includes('"audio"'))).toHaveLength(10);
  });

  it('keeps the order of events and frames: audio right after start is heard', async () => {
    server = await startTestServer();
    const socket = rawClient(server.url);
    cleanups.push(() => socket.close());
    await nextEvent(socket, 'ready');
    const errors = collectErrors(socket);
    socket.emit('start', { sampleRate: 16000 });
    for (let i = 0; i < 5; i++)
      socket.io.engine.write(encodeCompactAudio('/voice', new Int16Array(320), i, 16000));
    socket.emit('stop');
    socket.io.engine.write(encodeCompactAudio('/voice', new Int16Array(320), 5, 16000));
    const notStarted = await nextEvent<ErrorMessage>(socket, 'error');
    expect(notStarted.reason).toBe('not_started');
    expect(server.stt.framesReceived).toBe(5);
    expect(errors).toHaveLength(1);
  });

  it('a compact message with a broken frame gets a typed error and the session lives on', async () => {
    server = await startTestServer();
    const socket = rawClient(server.url);
    cleanups.push(() => socket.close());
    await nextEvent(socket, 'ready');
    socket.emit('start', { sampleRate: 16000 });
    const broken = encodeCompactAudio('/voice', new Int16Array(320), 0, 16000);
    broken[2 + '/voice'.length + 1] = 2; // the frame's channel count: stereo
    socket.io.engine.write(broken);
    expect((await nextEvent<ErrorMessage>(socket, 'error')).reason).toBe('bad_frame');
    socket.io.engine.write(encodeCompactAudio('/voice', new Int16Array(320), 1, 16000));
    await waitFor(() => server!.stt.framesReceived === 1, 'the next good frame');
    expect(socket.connected).toBe(true);
  });

  it('a compact message cut short closes that connection only, like any packet Socket.IO cannot parse', async () => {
    server = await startTestServer();
    const bystander = rawClient(server.url);
    const socket = rawClient(server.url);
    cleanups.push(
      () => socket.close(),
      () => bystander.close(),
    );
    await Promise.all([nextEvent(socket, 'ready'), nextEvent(bystander, 'ready')]);
    socket.io.engine.write(new Uint8Array([COMPACT_AUDIO_MARKER, 200, 0x2f]));
    await nextEvent(socket, 'disconnect');
    bystander.emit('start', { sampleRate: 16000 });
    bystander.io.engine.write(encodeCompactAudio('/voice', new Int16Array(320), 0, 16000));
    await waitFor(() => server!.stt.framesReceived === 1, 'the bystander still heard');
  });
});
