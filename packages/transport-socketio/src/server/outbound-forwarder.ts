import { bytesFromInt16, ProtocolError, type SessionEvent, type SpeechAudio } from '@voxduplex/core';
import type { Socket } from 'socket.io';
import type { AgentAudioHeader, AudioEndMessage } from '../protocol/server-messages';
import { toErrorMessage } from '../protocol/wire-error';
import { OutboundAudioQueue, type OutboundAudioQueueOptions } from './outbound-audio';
import { toSessionErrorMessage } from './session-error-message';

/**
 * What waits in the outbound queue: a chunk of agent audio, or the `audio-end` marker of a
 * speech, which takes no window and must leave after that speech's last chunk.
 */
type AudioChunk =
  | { readonly speechId: string; readonly durationMs: number; readonly audio: SpeechAudio }
  | { readonly speechId: string; readonly durationMs: 0; readonly end: AudioEndMessage };

/** The socket a forwarder writes to: only `emit` is used (agent audio with a receipt ack). */
export type OutboundSocket = Pick<Socket, 'emit'>;

const SOURCE = 'transport:socketio';

/**
 * Turns a session's events into what its client receives, on the socket attached now (none
 * while the client is away: nothing is kept for it). Agent audio and each speech's `audio-end`
 * go through an {@link OutboundAudioQueue} (flow control by the client's receipt acks, bounded,
 * a slow client loses the rest of a speech and is told once with `audio_dropped`); controls
 * skip that queue, and an `interrupt` also frees the queue of the dead speech. Session errors
 * go out with their code, not their text.
 *
 * `closed` is not forwarded here: ending the link is the owner's business.
 */
export class OutboundForwarder {
  #socket: OutboundSocket | undefined;
  #queue: OutboundAudioQueue<AudioChunk> | undefined;
  /** The speech whose truncation the client was last told about. */
  #noticed: string | undefined;

  constructor(
    readonly options: OutboundAudioQueueOptions,
    /** Called for every agent audio chunk the drop policy throws away (`stats()` counts them). */
    readonly onDropped: (durationMs: number) => void,
  ) {}

  /** Sends from now on to `socket`, with a fresh audio queue (an earlier socket's is released). */
  attach(socket: OutboundSocket): void {
    this.#queue?.close();
    this.#socket = socket;
    this.#queue = new OutboundAudioQueue<AudioChunk>(
      this.options,
      (chunk, onAck) => {
        if ('audio' in chunk) return this.#sendAudio(socket, chunk.audio, onAck);
        socket.emit('audio-end', chunk.end);
        onAck();
      },
      (chunk) => this.#dropped(socket, chunk),
    );
  }

  /** Stops sending: the queued audio is released and later acks are ignored. */
  detach(): void {
    this.#queue?.close();
    this.#queue = undefined;
    this.#socket = undefined;
  }

  /** Sends one session event to the attached socket, if any. */
  forward(event: SessionEvent): void {
    const socket = this.#socket;
    if (!socket) return;
    switch (event.type) {
      case 'state': {
        const { agent, user, phase } = event.state;
        socket.emit('state', { agent, user, phase });
        return;
      }
      case 'transcript':
        socket.emit('transcript', event.transcript);
        return;
      case 'user-turn':
        socket.emit('user-turn', { turnId: event.turnId, text: event.text });
        return;
      case 'speech-start':
        socket.emit('speech-start', {
          turnId: event.turnId,
          speechId: event.speechId,
          allowInterruptions: event.allowInterruptions,
        });
        return;
      case 'agent-text':
        socket.emit('agent-text', {
          turnId: event.turnId,
          speechId: event.speechId,
          text: event.text,
          index: event.index,
        });
        return;
      case 'audio':
        this.#queue?.push({
          speechId: event.audio.speechId,
          durationMs: event.audio.durationMs,
          audio: event.audio,
        });
        return;
      case 'speech-generated':
        // Behind the speech's queued audio: the client must have every chunk before the marker.
        this.#queue?.push({
          speechId: event.speechId,
          durationMs: 0,
          end: { turnId: event.turnId, speechId: event.speechId, audioMs: event.audioMs },
        });
        return;
      case 'control':
        // Controls skip the audio queue, and an interrupt frees the queue of the dead speech.
        if (event.control.type === 'interrupt') this.#queue?.purge(event.control.speechId);
        socket.emit('control', event.control);
        return;
      case 'speech-end':
        socket.emit('speech-end', {
          turnId: event.turnId,
          speechId: event.speechId,
          interrupted: event.interrupted,
          heardText: event.heardText,
          text: event.text,
        });
        return;
      case 'metrics':
        socket.emit('metrics', event.metrics);
        return;
      case 'error':
        // Provider text can quote credentials: the client gets the code, not the message.
        socket.emit(
          'error',
          toSessionErrorMessage(event.error, event.turnId === undefined ? {} : { turnId: event.turnId }),
        );
        return;
      default:
        return;
    }
  }

  #sendAudio(socket: OutboundSocket, audio: SpeechAudio, onAck: () => void): void {
    const header: AgentAudioHeader = {
      turnId: audio.turnId,
      speechId: audio.speechId,
      seq: audio.seq,
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      offsetMs: audio.offsetMs,
      durationMs: audio.durationMs,
      sentenceIndex: audio.sentenceIndex,
    };
    socket.emit('agent-audio', header, bytesFromInt16(audio.samples), onAck);
  }

  #dropped(socket: OutboundSocket, chunk: AudioChunk): void {
    // A truncated speech gets no end marker: its player ends it at `speech-end`, as before.
    if (!('audio' in chunk)) return;
    this.onDropped(chunk.durationMs);
    // One notice per speech: the first dropped chunk is the one that truncated it.
    if (this.#noticed === chunk.speechId) return;
    this.#noticed = chunk.speechId;
    socket.emit(
      'error',
      toErrorMessage(
        new ProtocolError('client too slow: the rest of this speech was dropped', { source: SOURCE }),
        'audio_dropped',
        { speechId: chunk.speechId },
      ),
    );
  }
}
