import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ErrorMessage, encodeMicFrame, MIC_FRAME_HEADER_BYTES } from '../src/index';
import {
  collectErrors,
  nextEvent,
  rawClient,
  silentFrames,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

let server: TestServer | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.disconnect();
  await server?.close();
  socket = undefined;
  server = undefined;
});

/** A raw client whose session is ready, plus every error it gets. */
async function readyClient(options: Parameters<typeof startTestServer>[0] = {}) {
  server = await startTestServer(options);
  socket = rawClient(server.url);
  const errors = collectErrors(socket);
  await nextEvent(socket, 'ready');
  return { socket, errors, server };
}

/** Proves the session still works: a typed message still becomes a user turn. */
async function expectSessionAlive(client: Socket, text = 'still there?') {
  const turn = nextEvent<{ text: string }>(client, 'user-turn');
  client.emit('text', { text });
  expect((await turn).text).toBe(text);
}

async function errorsAfter(errors: ErrorMessage[], count: number) {
  await waitFor(() => errors.length >= count, `${count} error(s)`);
  return errors;
}

describe('bad input gets a typed error, is dropped, and the session lives on', () => {
  it('audio that is not binary, has an odd byte length, or a wrong sample rate', async () => {
    const { socket, errors, server } = await readyClient();
    socket.emit('start', { sampleRate: 16000 });
    socket.emit(
      'audio',
      Array.from({ length: 320 }, () => 0),
    );
    socket.emit('audio', 'AAAA');
    const odd = new Uint8Array(MIC_FRAME_HEADER_BYTES + 321);
    odd.set(new Uint8Array(encodeMicFrame(new Int16Array(0), 0, 16000)));
    socket.emit('audio', odd);
    socket.emit('audio', encodeMicFrame(new Int16Array(160), 1, 8000));
    await errorsAfter(errors, 4);
    expect(errors.map((e) => [e.code, e.reason, e.event])).toEqual([
      ['audio_format', 'not_binary', 'audio'],
      ['audio_format', 'not_binary', 'audio'],
      ['audio_format', 'bad_frame', 'audio'],
      ['audio_format', 'wrong_sample_rate', 'audio'],
    ]);
    expect(server.stt.framesReceived).toBe(0);
    await expectSessionAlive(socket);
    expect(server.agent.stats().rejectedMessages).toBe(4);
  });

  it('a start at the wrong sample rate leaves the microphone lane closed', async () => {
    const { socket, errors, server } = await readyClient();
    socket.emit('start', { sampleRate: 44100 });
    for (const frame of silentFrames(1)) socket.emit('audio', frame);
    await errorsAfter(errors, 2);
    expect(errors.map((e) => e.reason)).toEqual(['wrong_sample_rate', 'not_started']);
    expect(server.stt.framesReceived).toBe(0);
  });

  it('oversized frames', async () => {
    const { socket, errors, server } = await readyClient({ limits: { maxFrameBytes: 652 } });
    socket.emit('start', { sampleRate: 16000 });
    socket.emit('audio', encodeMicFrame(new Int16Array(321), 0, 16000));
    socket.emit('audio', encodeMicFrame(new Int16Array(320), 1, 16000));
    await errorsAfter(errors, 1);
    await waitFor(() => server.stt.framesReceived === 1, 'the frame within the limit');
    expect(errors).toMatchObject([{ code: 'audio_format', reason: 'frame_too_large' }]);
    await expectSessionAlive(socket);
  });

  it('audio before start and after stop', async () => {
    const { socket, errors, server } = await readyClient();
    const [early, during, late] = [silentFrames(1, 0), silentFrames(1, 1), silentFrames(1, 2)];
    socket.emit('audio', early[0]);
    socket.emit('start', { sampleRate: 16000 });
    socket.emit('audio', during[0]);
    socket.emit('stop');
    socket.emit('audio', late[0]);
    await errorsAfter(errors, 2);
    expect(errors.map((e) => e.reason)).toEqual(['not_started', 'not_started']);
    expect(server.stt.framesReceived).toBe(1);
    await expectSessionAlive(socket);
  });

  it('unknown events, malformed JSON and invalid payloads', async () => {
    const { socket, errors } = await readyClient();
    socket.emit('hack-the-planet', { x: 1 });
    socket.emit('text', '{"text": "unterminated');
    socket.emit('text', { text: 42 });
    socket.emit('playback-ack', { speechId: '', playedMs: -5 });
    await errorsAfter(errors, 4);
    expect(errors.map((e) => [e.code, e.reason, e.event])).toEqual([
      ['protocol_invalid', 'unknown_event', 'hack-the-planet'],
      ['protocol_invalid', 'malformed_json', 'text'],
      ['protocol_invalid', 'invalid_message', 'text'],
      ['protocol_invalid', 'invalid_message', 'playback-ack'],
    ]);
    await expectSessionAlive(socket);
  });

  it('acks for speechIds the server never sent', async () => {
    const { socket, errors, server } = await readyClient();
    socket.emit('playback-ack', { speechId: 'speech_forged', playedMs: 100 });
    socket.emit('playback-started', { speechId: 'speech_forged' });
    socket.emit('playback-finished', { speechId: 'speech_forged' });
    await errorsAfter(errors, 3);
    expect(errors.map((e) => [e.reason, e.speechId])).toEqual([
      ['unknown_speech', 'speech_forged'],
      ['unknown_speech', 'speech_forged'],
      ['unknown_speech', 'speech_forged'],
    ]);
    await expectSessionAlive(socket);
    expect(server.agent.stats().rejectedMessages).toBe(3);
  });

  it('floods beyond the rate limit are dropped with at most one notice a second, and the socket recovers', async () => {
    const { socket, errors, server } = await readyClient({
      limits: { maxMessagesPerSecond: 10, messageBurst: 20 },
    });
    socket.emit('start', { sampleRate: 16000 });
    for (const frame of silentFrames(200)) socket.emit('audio', frame);
    await waitFor(() => server.agent.stats().rejectedMessages >= 150, 'the flood to be counted');
    expect(server.stt.framesReceived).toBeLessThan(60);
    await errorsAfter(errors, 1);
    const notices = errors.filter((e) => e.reason === 'rate_limited').length;
    expect(notices).toBeGreaterThanOrEqual(1);
    expect(notices).toBeLessThanOrEqual(2);
    expect(errors[0]).toMatchObject({ code: 'protocol_invalid', reason: 'rate_limited', event: 'audio' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the bucket refill
    await expectSessionAlive(socket);
  });

  it('audio sent while the session is being created is held up to maxBufferedInputMs', async () => {
    server = await startTestServer({ createDelayMs: 800, limits: { messageBurst: 500 } });
    socket = rawClient(server.url);
    const errors = collectErrors(socket);
    const ready = nextEvent(socket, 'ready');
    socket.emit('start', { sampleRate: 16000 });
    for (const frame of silentFrames(150)) socket.emit('audio', frame); // 3 s of audio
    await ready;
    await waitFor(() => server!.stt.framesReceived === 100, 'the 2 s that fit');
    await errorsAfter(errors, 50);
    expect(new Set(errors.map((e) => `${e.code}/${e.reason}`))).toEqual(
      new Set(['audio_format/input_overflow']),
    );
    await expectSessionAlive(socket);
  });

  it('audio racing a disconnect never reaches the closed session and nothing is left open', async () => {
    const { socket, server } = await readyClient({ resumeWindowMs: 0 });
    socket.emit('start', { sampleRate: 16000 });
    for (const frame of silentFrames(5)) socket.emit('audio', frame);
    await waitFor(() => server.stt.framesReceived === 5, 'five frames');
    socket.disconnect();
    await waitFor(() => server.agent.stats().sessions === 0, 'session closed');
    expect(server.openStreams()).toBe(0);
    expect(server.stt.framesReceived).toBe(5);
  });
});
