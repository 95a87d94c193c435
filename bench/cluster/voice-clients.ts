// The cluster bench's clients: raw Socket.IO, speaking the protocol as the reference client does.
import type { AudioEndMessage, SpeechEndMessage } from '@voxduplex/transport-socketio';
import { io, type Socket } from 'socket.io-client';

export function connect(url: string, resumeToken?: string): Socket {
  return io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: resumeToken ? { resumeToken } : {},
  });
}

/** The next `event`'s payload; fails after 10 s or on a connection error. */
export function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no '${event}' within 10 s`)), 10_000);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      done(payload);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
  });
}

/** A typed turn, its reply acked as a player would; resolves with what the agent said. */
export async function turn(socket: Socket, text: string): Promise<string> {
  const onAudio = (
    header: { speechId: string; offsetMs: number; durationMs: number },
    _: unknown,
    ack: () => void,
  ) => {
    ack();
    socket.emit('playback-ack', { speechId: header.speechId, playedMs: header.offsetMs + header.durationMs });
  };
  socket.on('agent-audio', onAudio);
  const ended = next<SpeechEndMessage>(socket, 'speech-end');
  socket.emit('text', { text });
  const end = await ended;
  socket.off('agent-audio', onAudio);
  return end.text;
}

/**
 * A typed turn whose player takes every chunk and reports the end of playback at `audio-end`
 * (`playback-finished`, which ends the agent's turn at once); resolves with when it reported it,
 * `performance.now()`. What the server says next (`speech-end`) is the caller's to wait for.
 */
export async function playTurn(socket: Socket, text: string): Promise<number> {
  const onAudio = (_header: unknown, _samples: unknown, ack: () => void) => ack();
  socket.on('agent-audio', onAudio);
  const generated = next<AudioEndMessage>(socket, 'audio-end');
  socket.emit('text', { text });
  const { speechId } = await generated;
  const finishedAt = performance.now();
  socket.emit('playback-finished', { speechId });
  socket.off('agent-audio', onAudio);
  return finishedAt;
}

/** A {@link playTurn}; resolves with the time from its `playback-finished` to the `speech-end`, ms. */
export async function timedTurnEnd(socket: Socket, text: string): Promise<number> {
  const ended = next<SpeechEndMessage>(socket, 'speech-end');
  const finishedAt = await playTurn(socket, text);
  await ended;
  return performance.now() - finishedAt;
}

/** Cuts the connection under Socket.IO, as a network failure would (the server suspends and saves). */
export function drop(socket: Socket): void {
  socket.io.engine.close();
}
