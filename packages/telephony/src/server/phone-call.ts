import type { IncomingMessage } from 'node:http';
import { RateLimiter, type SessionEvent, toVoxError, type VoiceSession } from '@voxduplex/core';
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { CallerAudioDecoder } from '../codec/phone-audio';
import { bytesPerSample, payloadMs, silencePayload } from '../codec/phone-format';
import {
  type CallStart,
  isStreamProblem,
  type MediaStreamSerializer,
  type StreamEvent,
} from '../stream/media-stream';
import { ReorderBuffer, type ReorderStats } from '../stream/reorder-buffer';
import type { CallReporter } from './call-reporter';
import type { ResolvedPhoneLimits } from './limits';
import type { AttachPhoneAgentOptions, PhoneCallIdentity } from './options';
import { PhonePlayout, type PlayoutStats } from './phone-playout';

/** What a call needs from its server. */
export interface PhoneCallHost<I extends PhoneCallIdentity> {
  readonly options: AttachPhoneAgentOptions<I>;
  readonly serializer: MediaStreamSerializer;
  readonly limits: ResolvedPhoneLimits;
  readonly inputSampleRate: number;
  readonly leadMs: number;
  readonly reporter: CallReporter<I>;
  onRejected(): void;
  onRefused(): void;
  onLive(callId: string, session: VoiceSession): void;
  /** The call is over: its session (if any) closed, its socket closing. */
  onEnded(call: PhoneCall<I>, playout: PlayoutStats, reorder: ReorderStats): void;
}

/** WebSocket close codes: normal, policy (refused), unsupported data (unusable stream), going away. */
const CLOSE_NORMAL = 1000;
const CLOSE_POLICY = 1008;
const CLOSE_UNSUPPORTED = 1003;

type Phase = 'waiting' | 'admitting' | 'live' | 'ended';

/** Why an inbound message was dropped. */
type Rejection = { readonly problem: string; readonly message: string };

/**
 * One phone call: a carrier's media-stream socket and the session that answers it.
 *
 * Inbound, every message is rate-limited, size-checked and parsed by the serializer; what is
 * refused is dropped and logged, and the call lives on — only an unusable stream (no `start` in
 * time, a media format the serializer does not speak) is closed. Numbered caller frames go
 * through a {@link ReorderBuffer} (late and duplicate ones dropped and counted, gaps filled with
 * silence), then are decoded from the stream's format. The `start` is authenticated before
 * `createSession` runs; caller audio that arrives meanwhile waits, bounded. Outbound, the
 * session's lane feeds a {@link PhonePlayout} (pacing, marks, clear). `stop`, a closed socket,
 * or the session closing ends all three at once.
 */
export class PhoneCall<I extends PhoneCallIdentity> {
  #phase: Phase = 'waiting';
  #call: CallStart | undefined;
  #session: VoiceSession | undefined;
  #subscription: Subscription | undefined;
  #playout: PhonePlayout | undefined;
  #decoder: CallerAudioDecoder | undefined;
  #reorder: ReorderBuffer | undefined;
  readonly #limiter: RateLimiter;
  readonly #startTimer: ReturnType<typeof setTimeout>;
  /** Media and keys that came while the call was being admitted. */
  #pending: StreamEvent[] = [];
  /** Why the caller audio released by the message being handled was dropped, if it was. */
  #audioRejection: Rejection | undefined;
  #pendingMs = 0;

  constructor(
    readonly socket: WebSocket,
    readonly request: IncomingMessage,
    readonly host: PhoneCallHost<I>,
  ) {
    const { limits } = host;
    this.#limiter = new RateLimiter(limits.maxMessagesPerSecond, limits.messageBurst);
    this.#startTimer = setTimeout(() => {
      if (this.#phase !== 'waiting') return;
      this.#refuse('no_start', `no start message within ${limits.startTimeoutMs} ms`, CLOSE_POLICY);
    }, limits.startTimeoutMs);
    socket.on('message', (data, isBinary) =>
      this.#onMessage(data as Buffer | Buffer[] | ArrayBuffer, isBinary),
    );
    socket.on('close', () => this.end('hang-up: stream socket closed'));
    // A socket error is followed by `close`; nothing else to do but not crash.
    socket.on('error', () => {});
  }

  get callId(): string | undefined {
    return this.#call?.callId;
  }

  get session(): VoiceSession | undefined {
    return this.#session;
  }

  /** Caller frames reordered, dropped (late or duplicate) and filled with silence so far. */
  get reorderStats(): ReorderStats {
    return this.#reorder?.stats ?? { reordered: 0, late: 0, duplicates: 0, filled: 0 };
  }

  /** Frames sent, late frames and clears of this call so far. */
  get playoutStats(): PlayoutStats {
    return this.#playout?.stats ?? { framesSent: 0, lateFrames: 0, clears: 0 };
  }

  get isEnded(): boolean {
    return this.#phase === 'ended';
  }

  /** Ends the call: session closed with `reason`, playout stopped, socket closed. Idempotent. */
  end(reason: string, code = CLOSE_NORMAL): void {
    if (this.#phase === 'ended') return;
    this.#phase = 'ended';
    clearTimeout(this.#startTimer);
    this.#pending = [];
    this.#subscription?.unsubscribe();
    const stats = this.playoutStats;
    this.#playout?.close();
    const session = this.#session;
    if (session && !session.isClosed) session.close(reason);
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING)
      this.socket.close(code, truncate(reason));
    if (session && this.#call) this.host.reporter.callEnded(this.#call.callId, session.id, reason);
    this.host.onEnded(this, stats, this.reorderStats);
  }

  #onMessage(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    if (this.#phase === 'ended') return;
    const rejection = this.#receive(data, isBinary);
    if (!rejection) return;
    this.host.onRejected();
    this.host.reporter.dropped(this.callId, rejection.problem, rejection.message);
  }

  /** Applies one inbound message; returns why it was dropped, if it was. */
  #receive(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): Rejection | undefined {
    const { limits, serializer } = this.host;
    if (!this.#limiter.take()) return { problem: 'rate_limited', message: 'message rate above the limit' };
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) return { problem: 'malformed', message: 'binary message; the stream speaks JSON text' };
    if (bytes.length > limits.maxMessageBytes)
      return {
        problem: 'oversized',
        message: `${bytes.length} bytes, over maxMessageBytes ${limits.maxMessageBytes}`,
      };
    const event = serializer.parse(bytes.toString('utf8'));
    if (isStreamProblem(event)) {
      if (!event.isFatal) return event;
      this.#refuse('unusable_stream', event.message, CLOSE_UNSUPPORTED);
      return undefined;
    }
    switch (event.type) {
      case 'connected':
        return undefined;
      case 'start':
        if (this.#phase !== 'waiting') return { problem: 'out_of_place', message: 'a second start' };
        this.#call = event.call;
        this.#startAudio(event.call);
        this.#phase = 'admitting';
        clearTimeout(this.#startTimer);
        void this.#admit(event.call);
        return undefined;
      case 'stop':
        this.end('call ended (stop)');
        return undefined;
      case 'error':
        this.host.reporter.carrierError(this.callId, event.code, event.message);
        return undefined;
      case 'media':
        if (this.#phase === 'waiting') return { problem: 'out_of_place', message: 'media before start' };
        return this.#receiveAudio(event.chunk, event.payload);
      case 'mark':
        // Marks dropped by a `clear` come back at once and are expected: ignored without a word.
        if (this.#phase === 'live') this.#playout!.markEchoed(event.name);
        return undefined;
      default:
        return this.#hold(event);
    }
  }

  /** The stream's format is known: its decoder, and the reorder buffer in front of it. */
  #startAudio(call: CallStart): void {
    const { format } = call;
    this.#decoder = new CallerAudioDecoder(this.host.inputSampleRate, format);
    this.#reorder = new ReorderBuffer({
      windowFrames: this.host.limits.reorderWindowFrames,
      // A burst of lost packets is a few frames; a longer jump is a renumbering, not 200 ms+ of audio.
      maxGapFrames: 10,
      silence: (like) => silencePayload(format, like.length / bytesPerSample(format)),
      release: (payload) => {
        this.#audioRejection ??= this.#hold({ type: 'media', payload });
      },
    });
  }

  /** Caller audio: back in order first, then on. */
  #receiveAudio(chunk: number | undefined, payload: Uint8Array): Rejection | undefined {
    const { encoding } = this.#call!.format;
    if (encoding === 'l16' && payload.length % 2 !== 0)
      return { problem: 'malformed', message: `L16 payload of odd length ${payload.length}` };
    this.#audioRejection = undefined;
    this.#reorder!.push(chunk, payload);
    return this.#audioRejection;
  }

  /** Media or a key: to the session when live, held (bounded) while the call is admitted. */
  #hold(event: StreamEvent): Rejection | undefined {
    if (this.#phase === 'waiting') return { problem: 'out_of_place', message: `${event.type} before start` };
    if (this.#phase === 'live') {
      this.#apply(event);
      return undefined;
    }
    if (this.#phase !== 'admitting') return undefined;
    if (event.type === 'media') {
      const ms = payloadMs(this.#call!.format, event.payload.length);
      if (this.#pendingMs + ms > this.host.limits.maxBufferedInputMs)
        return {
          problem: 'input_overflow',
          message: 'caller audio beyond maxBufferedInputMs before the session was ready',
        };
      this.#pendingMs += ms;
    }
    this.#pending.push(event);
    return undefined;
  }

  /** Caller audio or a key, to the live session. */
  #apply(event: StreamEvent): void {
    const session = this.#session!;
    if (event.type === 'media') {
      const samples = this.#decoder!.decode(event.payload);
      if (samples.length > 0) session.pushAudio({ samples, sampleRate: this.host.inputSampleRate });
    } else if (event.type === 'dtmf') session.pushDtmf(event.digit);
  }

  async #admit(call: CallStart): Promise<void> {
    const { options, reporter } = this.host;
    let identity: I | null | false | undefined;
    try {
      identity = options.authenticate
        ? await options.authenticate(call, this.request)
        : ({ id: `anonymous-${call.callId}` } as I);
    } catch (error) {
      return this.#refuse('unauthorized', 'authenticate threw', CLOSE_POLICY, error);
    }
    if (this.isEnded) return;
    if (!identity || typeof identity.id !== 'string')
      return this.#refuse(
        'unauthorized',
        `authenticate returned ${identity ? 'an identity without a string id' : String(identity)}`,
        CLOSE_POLICY,
      );
    let session: VoiceSession;
    try {
      session = await options.createSession({ identity, call, request: this.request });
    } catch (error) {
      reporter.sessionError(call.callId, undefined, toVoxError(error, 'telephony:createSession'));
      return this.end('createSession failed', CLOSE_NORMAL);
    }
    if (this.isEnded) {
      session.close('hung up before the session was ready');
      return;
    }
    this.#session = session;
    this.#playout = new PhonePlayout({
      leadMs: this.host.leadMs,
      format: call.format,
      send: (command) => {
        if (this.socket.readyState === this.socket.OPEN)
          this.socket.send(this.host.serializer.serialize(call.streamId, command));
      },
      listener: session,
    });
    reporter.callStarted(session.id, identity, call);
    this.host.onLive(call.callId, session);
    this.#subscription = session.events$.subscribe({
      next: (event) => this.#onSessionEvent(call, event),
      complete: () => this.end('session closed'),
    });
    this.#phase = 'live';
    const pending = this.#pending;
    this.#pending = [];
    for (const event of pending) this.#apply(event);
  }

  #onSessionEvent(call: CallStart, event: SessionEvent): void {
    const playout = this.#playout!;
    if (event.type === 'audio') playout.audio(event.audio);
    else if (event.type === 'speech-generated') playout.generated(event.speechId);
    else if (event.type === 'control') playout.control(event.control);
    else if (event.type === 'error')
      this.host.reporter.sessionError(call.callId, this.#session?.id, event.error, event.turnId);
    else if (event.type === 'closed') this.end(event.reason);
  }

  #refuse(
    reason: 'unauthorized' | 'no_start' | 'unusable_stream',
    message: string,
    code: number,
    error?: unknown,
  ): void {
    if (this.#phase === 'ended') return;
    this.host.onRefused();
    this.host.reporter.refused({
      callId: this.callId,
      reason,
      message,
      ...(error === undefined ? {} : { error }),
    });
    this.end(reason, code);
  }
}

/** A WebSocket close reason is at most 123 bytes. */
function truncate(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${Buffer.from(reason).subarray(0, 117).toString()}…`;
}
