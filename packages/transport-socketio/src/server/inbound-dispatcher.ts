import {
  AudioFormatError,
  ProtocolError,
  toVoxError,
  type VoiceSession,
  type VoxError,
} from '@voxduplex/core';
import type { Socket } from 'socket.io';
import { type ErrorReason, toErrorMessage } from '../protocol/wire-error';
import type { ClientMessage, InboundProblem } from './inbound';
import { toSessionErrorMessage } from './session-error-message';

/** The part of a session that client messages drive. */
export type InboundSession = Pick<
  VoiceSession,
  'pushAudio' | 'sendText' | 'interrupt' | 'playbackAck' | 'playbackStarted' | 'playbackFinished'
>;

/** What an {@link InboundDispatcher} needs from its server. */
export interface InboundHost {
  /** The sample rate `start` and every mic frame must have. */
  readonly inputSampleRate: number;
  /** Counts a refused message (`stats().rejectedMessages`). */
  onRejected(): void;
}

/** Where a refusal is sent: the socket the message came from. */
export type InboundReplySocket = Pick<Socket, 'emit'>;

/** How many speechIds a client may still refer to; older ones are forgotten first. */
export const MAX_KNOWN_SPEECHES = 256;
const SOURCE = 'transport:socketio';

/**
 * Applies a session's validated client messages and refuses, with a typed `error`, those the
 * session cannot take in its current state: audio outside `start`…`stop`, a sample rate other
 * than the server's, playback reports about a speech the session never announced, and any
 * exception the session throws (sent as `session_error`, without its text).
 *
 * Lives as long as the session, across reconnections: the mic lane's open/closed flag and the
 * known speechIds survive a resumed socket.
 */
export class InboundDispatcher {
  #isStarted = false;
  readonly #knownSpeechIds = new Set<string>();

  /** `isStarted`: the mic lane was open when the session was saved on another node. */
  constructor(
    readonly session: InboundSession,
    readonly host: InboundHost,
    isStarted = false,
  ) {
    this.#isStarted = isStarted;
  }

  /** Whether the microphone lane is open (`start` received and not stopped). */
  get isStarted(): boolean {
    return this.#isStarted;
  }

  /** Lets the client refer to `speechId` in playback reports (the session announced it). */
  rememberSpeech(speechId: string): void {
    if (this.#knownSpeechIds.has(speechId)) return;
    this.#knownSpeechIds.add(speechId);
    if (this.#knownSpeechIds.size > MAX_KNOWN_SPEECHES)
      this.#knownSpeechIds.delete(this.#knownSpeechIds.values().next().value!);
  }

  /** Applies one message; a problem becomes a typed `error` on `socket`. */
  handle(socket: InboundReplySocket, message: ClientMessage): void {
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

  /**
   * Sends a typed error for a dropped inbound message and counts it. A `session_error` carries
   * the error's code, not its text, which may quote provider credentials.
   */
  reject(
    socket: InboundReplySocket,
    event: string,
    reason: ErrorReason,
    error: VoxError,
    extra: { speechId?: string } = {},
  ): void {
    this.host.onRejected();
    const details = { event, ...extra };
    socket.emit(
      'error',
      reason === 'session_error'
        ? toSessionErrorMessage(error, details)
        : toErrorMessage(error, reason, details),
    );
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
}
