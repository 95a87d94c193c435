import {
  AudioFormatError,
  bytesFromInt16,
  ProtocolError,
  type SessionEvent,
  type SpeechAudio,
  toVoxError,
  type VoiceSession,
  type VoxError,
} from '@voxduplex/core';
import type { Socket } from 'socket.io';
import type { AgentAudioHeader, AudioEndMessage } from '../protocol/server-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { type ErrorReason, toErrorMessage } from '../protocol/wire-error';
import type { ClientMessage, InboundProblem } from './inbound';
import type { ResolvedTransportLimits } from './limits';
import { OutboundAudioQueue } from './outbound-audio';
import { toSessionErrorMessage } from './session-error-message';

/**
 * What waits in the outbound queue: a chunk of agent audio, or the `audio-end` marker of a
 * speech, which takes no window and must leave after that speech's last chunk.
 */
type AudioChunk =
  | { readonly speechId: string; readonly durationMs: number; readonly audio: SpeechAudio }
  | { readonly speechId: string; readonly durationMs: 0; readonly end: AudioEndMessage };

/** What a link needs from its server. */
export interface LinkHost {
  readonly limits: ResolvedTransportLimits;
  readonly inputSampleRate: number;
  readonly resumeWindowMs: number;
  /** The Socket.IO server decodes compact audio messages (it was built with `voiceParser`). */
  readonly compactAudio: boolean;
  issueToken(sessionId: string, identityId: string): string;
  onRejected(): void;
  onDropped(durationMs: number): void;
  /** The session closed (by itself, by the registry, or the resume window ended). */
  onClosed(link: SessionLink): void;
}

const MAX_KNOWN_SPEECHES = 256;
const SOURCE = 'transport:socketio';

/**
 * One session and the socket currently serving it. Outlives a dropped socket for the resume
 * window: `detach()` suspends the session, `attach()` with a new socket resumes it.
 */
export class SessionLink {
  #socket: Socket | undefined;
  #queue: OutboundAudioQueue<AudioChunk> | undefined;
  #isStarted = false;
  #expiry: ReturnType<typeof setTimeout> | undefined;
  readonly #knownSpeechIds = new Set<string>();
  readonly #subscription;

  constructor(
    readonly session: VoiceSession,
    readonly identityId: string,
    readonly host: LinkHost,
  ) {
    this.#subscription = session.events$.subscribe({
      next: (event) => this.#forward(event),
      complete: () => this.#closed('closed'),
    });
    session.once('closed', ({ reason }) => this.#closed(reason));
  }

  get sessionId(): string {
    return this.session.id;
  }

  get socket(): Socket | undefined {
    return this.#socket;
  }

  get isSuspended(): boolean {
    return this.#socket === undefined && !this.session.isClosed;
  }

  /** Binds a socket, resuming the session if it was parked, and sends `ready` and the state. */
  attach(socket: Socket, resumed: boolean): void {
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#socket = socket;
    this.#queue = new OutboundAudioQueue<AudioChunk>(
      { windowMs: this.host.limits.outboundWindowMs, maxQueueMs: this.host.limits.maxOutboundQueueMs },
      (chunk, onAck) => {
        if ('audio' in chunk) return this.#sendAudio(socket, chunk.audio, onAck);
        socket.emit('audio-end', chunk.end);
        onAck();
      },
      (chunk) => this.#dropped(socket, chunk),
    );
    if (this.session.isSuspended) this.session.resume();
    socket.emit('ready', {
      protocol: PROTOCOL_VERSION,
      sessionId: this.sessionId,
      resumeToken: this.host.issueToken(this.sessionId, this.identityId),
      resumeWindowMs: this.host.resumeWindowMs,
      resumed,
      inputSampleRate: this.host.inputSampleRate,
      isStarted: this.#isStarted,
      ...(this.host.compactAudio ? { compactAudio: true } : {}),
    });
    const { agent, user, phase } = this.session.state;
    socket.emit('state', { agent, user, phase });
  }

  /**
   * Unbinds the socket. A client that left on purpose (`canResume` false) ends the session now.
   * Otherwise, with a resume window, the session is suspended (provider streams closed,
   * nothing billed) until `attach()` or the window ends; without one it is closed.
   */
  detach(reason: string, canResume: boolean): void {
    this.#queue?.close();
    this.#queue = undefined;
    this.#socket = undefined;
    if (this.session.isClosed) return;
    if (!canResume || this.host.resumeWindowMs <= 0) {
      this.session.close(reason);
      return;
    }
    this.session.suspend();
    this.#expiry = setTimeout(() => this.session.close('resume window expired'), this.host.resumeWindowMs);
  }

  /** Hands the session to a new socket; the old one is disconnected without suspending. */
  takeOver(socket: Socket): void {
    const previous = this.#socket;
    this.#queue?.close();
    this.#socket = undefined;
    previous?.disconnect(true);
    this.attach(socket, true);
  }

  /** Applies a validated client message; session-state problems become typed errors. */
  handle(socket: Socket, message: ClientMessage): void {
    if (socket !== this.#socket) return;
    let problem: InboundProblem | undefined;
    try {
      problem = this.#apply(message);
    } catch (error) {
      problem = { reason: 'session_error', error: toVoxError(error, SOURCE) };
    }
    if (!problem) return;
    const speechId = 'speechId' in message ? { speechId: message.speechId } : {};
    this.reject(socket, message.type, problem.reason, problem.error, speechId);
  }

  #apply(message: ClientMessage): InboundProblem | undefined {
    switch (message.type) {
      case 'start':
        if (message.sampleRate !== this.host.inputSampleRate)
          return { reason: 'wrong_sample_rate', error: this.#rateError(`start at ${message.sampleRate} Hz`) };
        this.#isStarted = true;
        return undefined;
      case 'stop':
        this.#isStarted = false;
        return undefined;
      case 'audio': {
        const { frame } = message;
        if (!this.#isStarted)
          return {
            reason: 'not_started',
            error: new ProtocolError('audio before start or after stop', { source: SOURCE }),
          };
        if (frame.sampleRate !== this.host.inputSampleRate)
          return { reason: 'wrong_sample_rate', error: this.#rateError(`frame at ${frame.sampleRate} Hz`) };
        this.session.pushAudio({ samples: frame.samples, sampleRate: frame.sampleRate, channels: 1 });
        return undefined;
      }
      case 'text':
        this.session.sendText(message.text);
        return undefined;
      case 'interrupt':
        this.session.interrupt();
        return undefined;
      default: {
        const { speechId } = message;
        if (!this.#knownSpeechIds.has(speechId))
          return {
            reason: 'unknown_speech',
            error: new ProtocolError(`unknown speechId '${speechId}'`, { source: SOURCE }),
          };
        if (message.type === 'playback-ack')
          this.session.playbackAck({ speechId, playedMs: message.playedMs });
        else if (message.type === 'playback-started') this.session.playbackStarted(speechId);
        else this.session.playbackFinished(speechId);
        return undefined;
      }
    }
  }

  #rateError(what: string): AudioFormatError {
    return new AudioFormatError(`${what}; this server expects ${this.host.inputSampleRate} Hz`, {
      source: SOURCE,
    });
  }

  /** Sends a typed error for a dropped inbound message. */
  reject(
    socket: Socket,
    event: string,
    reason: ErrorReason,
    error: VoxError,
    extra: { speechId?: string } = {},
  ) {
    this.host.onRejected();
    const details = { event, ...extra };
    socket.emit(
      'error',
      reason === 'session_error'
        ? toSessionErrorMessage(error, details)
        : toErrorMessage(error, reason, details),
    );
  }

  #forward(event: SessionEvent): void {
    const socket = this.#socket;
    if (event.type === 'speech-start') this.#remember(event.speechId);
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
        this.#remember(event.audio.speechId);
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
      case 'closed':
        this.#closed(event.reason);
        return;
      default:
        return;
    }
  }

  #sendAudio(socket: Socket, audio: SpeechAudio, onAck: () => void): void {
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

  #dropped(socket: Socket, chunk: AudioChunk): void {
    // A truncated speech gets no end marker: its player ends it at `speech-end`, as before.
    if (!('audio' in chunk)) return;
    this.host.onDropped(chunk.durationMs);
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

  #noticed: string | undefined;

  #remember(speechId: string): void {
    if (this.#knownSpeechIds.has(speechId)) return;
    this.#knownSpeechIds.add(speechId);
    if (this.#knownSpeechIds.size > MAX_KNOWN_SPEECHES)
      this.#knownSpeechIds.delete(this.#knownSpeechIds.values().next().value!);
  }

  #isDone = false;

  #closed(reason: string): void {
    if (this.#isDone) return;
    this.#isDone = true;
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#subscription?.unsubscribe();
    this.#queue?.close();
    this.#queue = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket?.connected) {
      socket.emit('closed', { reason });
      socket.disconnect(true);
    }
    this.host.onClosed(this);
  }
}
