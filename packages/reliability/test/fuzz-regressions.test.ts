import { encodeMicFrame } from '@voxduplex/transport-socketio';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { collectErrors, connectOutcome, nextEvent, rawClient, waitFor } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

/** Cases the protocol fuzzer found, kept as plain examples so they never come back. */

let server: VoiceServer | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.disconnect();
  await server?.close();
  socket = undefined;
  server = undefined;
});

describe('fuzzer findings', () => {
  it('a frame claiming 0 Hz while the session is being created gets wrong_sample_rate, not input_overflow', async () => {
    server = await startVoiceServer({ createDelayMs: 300 });
    socket = rawClient(server.url);
    const log = collectErrors(socket);
    const ready = nextEvent(socket, 'ready');
    expect(await connectOutcome(socket)).toBe('connected');
    socket.emit('start', { sampleRate: 16_000 });
    socket.emit('audio', encodeMicFrame(new Int16Array(320), 0, 0));
    socket.emit('audio', encodeMicFrame(new Int16Array(320), 1, 1));
    socket.emit('audio', encodeMicFrame(new Int16Array(320), 2, 16_000));
    await ready;
    await waitFor(() => log.errors.length >= 2, 'two errors');
    expect(log.errors.map((e) => [e.event, e.reason])).toEqual([
      ['audio', 'wrong_sample_rate'],
      ['audio', 'wrong_sample_rate'],
    ]);
    await waitFor(() => server!.providers.fakes.stt.framesReceived === 1, 'the 16 kHz frame');
  });

  it('a stop that asks for an acknowledgement is refused as invalid and the microphone lane stays open', async () => {
    // Socket.IO hands the server an ack callback as the last argument; with no payload, that
    // callback is what gets validated. Typed and harmless, so the protocol keeps it.
    server = await startVoiceServer();
    socket = rawClient(server.url);
    const log = collectErrors(socket);
    await nextEvent(socket, 'ready');
    socket.emit('start', { sampleRate: 16_000 });
    socket.emit('stop', () => {});
    socket.emit('audio', encodeMicFrame(new Int16Array(320), 0, 16_000));
    await waitFor(() => log.errors.length >= 1, 'the error for stop');
    await waitFor(() => server!.providers.fakes.stt.framesReceived === 1, 'the frame after the refused stop');
    expect(log.errors.map((e) => [e.event, e.reason])).toEqual([['stop', 'invalid_message']]);
  });
});
