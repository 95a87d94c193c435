import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentAudioHeader, ErrorMessage } from '../src/index';
import { nextEvent, rawClient, startTestServer, type TestServer, waitFor } from './harness';

let server: TestServer | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.disconnect();
  await server?.close();
});

const LONG_REPLY = 'This answer goes on and on and on, far longer than any slow listener could take in.';

describe('outbound audio backpressure', () => {
  it('bounds what a client that never acks can hold up, and counts the drops', async () => {
    server = await startTestServer({
      limits: { outboundWindowMs: 300, maxOutboundQueueMs: 500 },
      llm: { reply: LONG_REPLY },
      tts: { chunkMs: 100 },
    });
    socket = rawClient(server.url);
    await nextEvent(socket, 'ready');
    const received: AgentAudioHeader[] = [];
    const pendingAcks: (() => void)[] = [];
    const errors: ErrorMessage[] = [];
    socket.on('error' as never, (e: ErrorMessage) => {
      errors.push(e);
    });
    socket.on('agent-audio', (header: AgentAudioHeader, _pcm: unknown, ack: () => void) => {
      received.push(header);
      pendingAcks.push(ack);
    });
    socket.emit('text', { text: 'tell me everything' });
    await waitFor(() => errors.some((e) => e.reason === 'audio_dropped'), 'a drop notice');
    // FakeTts makes max(chunkMs, 60 ms per character) of audio per sentence.
    const producedMs = () => server!.tts.texts.reduce((ms, text) => ms + Math.max(100, text.length * 60), 0);
    await waitFor(
      () => server!.tts.streams.open === 0 && server!.llm.streams.open === 0,
      'the reply to be made',
    );
    await waitFor(
      () => server!.agent.stats().droppedAudioMs + 800 >= producedMs(),
      'every chunk to be handled',
    );

    // Only the window went out; the queue held at most its bound; the rest was dropped.
    expect(received.reduce((ms, h) => ms + h.durationMs, 0)).toBe(300);
    const stats = server.agent.stats();
    expect(stats.droppedAudioMs).toBe(producedMs() - 300 - 500);
    const producedChunks = server.tts.texts.reduce(
      (n, text) => n + Math.ceil(Math.max(100, text.length * 60) / 100),
      0,
    );
    expect(stats.droppedAudioChunks).toBe(producedChunks - 3 - 5);
    expect(errors.filter((e) => e.reason === 'audio_dropped')).toHaveLength(1);
    expect(errors[0]).toMatchObject({ speechId: received[0]!.speechId });

    // Acking late releases the queued audio, in order, and nothing of the dropped part.
    for (let i = 0; i < 20 && received.length < 8; i++) {
      for (const ack of pendingAcks.splice(0)) ack();
      await waitFor(() => pendingAcks.length > 0 || received.length >= 8, 'more audio');
    }
    expect(received.map((h) => h.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('sends controls past queued audio, and an interrupt discards the queued chunks', async () => {
    server = await startTestServer({
      limits: { outboundWindowMs: 200, maxOutboundQueueMs: 60_000 },
      llm: { reply: LONG_REPLY },
      tts: { chunkMs: 100 },
    });
    socket = rawClient(server.url);
    await nextEvent(socket, 'ready');
    const order: string[] = [];
    const acks: (() => void)[] = [];
    socket.on('agent-audio', (header: AgentAudioHeader, _pcm: unknown, ack: () => void) => {
      order.push(`audio:${header.seq}`);
      acks.push(ack);
    });
    socket.on('control', (control: { type: string }) => order.push(`control:${control.type}`));
    socket.emit('text', { text: 'talk' });
    await waitFor(() => order.length === 2, 'the window of audio');
    socket.emit('interrupt');
    await waitFor(() => order.includes('control:interrupt'), 'the interrupt control');
    for (const ack of acks.splice(0)) ack();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual(['audio:0', 'audio:1', 'control:interrupt']);
  });
});
