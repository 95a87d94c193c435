import { randomBytes } from 'node:crypto';
import type { DtmfDigit } from '@voxduplex/core';
import { WebSocket } from 'ws';
import { decodeMulaw, MULAW_SILENCE } from '../codec/mulaw';
import { AgentAudioEncoder, PHONE_FRAME_SAMPLES } from '../codec/phone-audio';
import { TWILIO_MEDIA_FORMAT } from '../twilio/messages';

/** Options of {@link EmulatedTwilioCall.dial}. */
export interface EmulatedCallOptions {
  /** The media stream's WebSocket URL, e.g. `ws://127.0.0.1:3000/twilio/stream`. */
  readonly url: string;
  /** The `<Parameter>`s of the `<Stream>`: they arrive as `start.customParameters`. */
  readonly customParameters?: Readonly<Record<string, string>>;
  readonly callSid?: string;
  /** Headers of the WebSocket upgrade request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** What `start.mediaFormat` says (default μ-law 8 kHz mono, the only format Twilio streams). */
  readonly mediaFormat?: {
    readonly encoding: string;
    readonly sampleRate: number;
    readonly channels: number;
  };
  /** Caller frames sent together, every `bunch × 20 ms` (a congested network). Default 1. */
  readonly bunch?: number;
  /** Up to this many ms of random extra delay per caller send (order kept). Default 0. */
  readonly jitterMs?: number;
}

/**
 * One frame of agent audio the emulated caller heard, and when it stopped playing: 20 ms, or
 * less for the frame a `clear` cut while it played.
 */
export interface HeardFrame {
  /** When it finished playing, ms since the call was dialled. */
  readonly atMs: number;
  readonly mulaw: Uint8Array;
}

/** A message the server sent, with when it arrived (ms since the call was dialled). */
export type ReceivedMessage = { readonly atMs: number; readonly message: Record<string, unknown> };

type Buffered =
  | { readonly kind: 'media'; readonly mulaw: Uint8Array }
  | { readonly kind: 'mark'; readonly name: string };

const TICK_MS = 10;
const FRAME_MS = 20;

/**
 * Twilio's side of a bidirectional Media Stream, for tests and benchmarks: connects to your
 * server like Twilio does and speaks the documented protocol ("Media Streams – WebSocket
 * Messages"). It sends `connected` and `start`, then caller audio as 20 ms μ-law `media` in real
 * time (silence when the caller says nothing, as a live call does), optionally bunched or
 * jittered; `dtmf` on {@link pressKey}; `stop` on {@link hangUp}.
 *
 * The agent's `media` is played at real time into {@link heard} (a recording of what the caller
 * heard). A `mark` is echoed only when the audio sent before it has played; a `clear` drops the
 * buffered audio and echoes every mark still queued at once, as Twilio documents.
 *
 * @example
 * ```ts
 * const call = await EmulatedTwilioCall.dial({ url: `ws://127.0.0.1:${port}/twilio/stream` });
 * call.say(pcm16k, 16_000);
 * await call.waitFor(() => call.heardMs() > 1000);
 * call.hangUp();
 * ```
 */
export class EmulatedTwilioCall {
  /** Calls whose line is open: one timer serves them all (a bench dials hundreds). */
  static readonly #live = new Set<EmulatedTwilioCall>();
  static #ticker: ReturnType<typeof setInterval> | undefined;

  readonly callSid: string;
  readonly streamSid: string;
  /** Every message the server sent, in order. */
  readonly received: ReceivedMessage[] = [];
  /** The agent audio the caller heard, frame by frame. */
  readonly heard: HeardFrame[] = [];
  /** When each `clear` arrived (ms since dial). */
  readonly clears: number[] = [];
  /** Names of the marks echoed, in order, and whether the audio before each one had played. */
  readonly echoedMarks: { readonly name: string; readonly wasCleared: boolean }[] = [];
  /** Resolves when the socket closes, with the server's code and reason. */
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;

  readonly #socket: WebSocket;
  readonly #options: EmulatedCallOptions;
  readonly #t0 = performance.now();
  readonly #mic: { readonly mulaw: Uint8Array; readonly onSent?: () => void }[] = [];
  readonly #outgoing: { readonly text: string; readonly onSent: (() => void) | undefined }[] = [];
  readonly #buffer: Buffered[] = [];
  #playhead = 0;
  #micFramesSent = 0;
  #sequence = 0;
  #chunk = 0;
  #sendChain: Promise<void> = Promise.resolve();

  private constructor(socket: WebSocket, options: EmulatedCallOptions) {
    this.#socket = socket;
    this.#options = options;
    this.callSid = options.callSid ?? `CA${randomBytes(16).toString('hex')}`;
    this.streamSid = `MZ${randomBytes(16).toString('hex')}`;
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        this.#stopTimer();
        resolve({ code, reason: reason.toString() });
      }),
    );
    socket.on('message', (data) => this.#onMessage(data.toString()));
  }

  /** Opens the stream and sends `connected` and `start`; caller frames flow from then on. */
  static async dial(options: EmulatedCallOptions): Promise<EmulatedTwilioCall> {
    const socket = new WebSocket(options.url, { headers: { ...options.headers } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const call = new EmulatedTwilioCall(socket, options);
    call.sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    call.sendJson({
      event: 'start',
      sequenceNumber: call.#nextSequence(),
      start: {
        accountSid: 'AC00000000000000000000000000000000',
        streamSid: call.streamSid,
        callSid: call.callSid,
        tracks: ['inbound'],
        customParameters: { ...options.customParameters },
        mediaFormat: options.mediaFormat ?? TWILIO_MEDIA_FORMAT,
      },
      streamSid: call.streamSid,
    });
    EmulatedTwilioCall.#live.add(call);
    EmulatedTwilioCall.#ticker ??= setInterval(() => {
      for (const live of EmulatedTwilioCall.#live) live.#tick();
    }, TICK_MS);
    return call;
  }

  /** Milliseconds since the call was dialled. */
  now(): number {
    return performance.now() - this.#t0;
  }

  /**
   * Queues speech for the caller's microphone: `samples` at `sampleRate`, sent in real time.
   * Resolves when the frame holding the last voiced sample (louder than `level`) has been sent,
   * with that moment on the `performance.now()` clock: where voice-to-voice latency starts.
   */
  say(samples: Int16Array, sampleRate: number, level = 300): Promise<{ readonly voiceEndedAt: number }> {
    const encoder = new AgentAudioEncoder(sampleRate);
    const frames = [...encoder.encode(samples), ...encoder.flush()];
    let lastVoiced = frames.length - 1;
    while (lastVoiced > 0 && !decodeMulaw(frames[lastVoiced]!.mulaw).some((v) => Math.abs(v) > level))
      lastVoiced--;
    return new Promise((resolve) => {
      for (const [i, frame] of frames.entries())
        this.#mic.push(
          i === lastVoiced
            ? { mulaw: frame.mulaw, onSent: () => resolve({ voiceEndedAt: performance.now() }) }
            : { mulaw: frame.mulaw },
        );
    });
  }

  /** Milliseconds of queued caller speech not yet sent. */
  get unsaidMs(): number {
    return this.#mic.length * FRAME_MS;
  }

  /** The caller presses a key (a `dtmf` message on the inbound track). */
  pressKey(digit: DtmfDigit): void {
    this.sendJson({
      event: 'dtmf',
      streamSid: this.streamSid,
      sequenceNumber: this.#nextSequence(),
      dtmf: { track: 'inbound_track', digit },
    });
  }

  /** Sends any text as is (for tests of malformed input). */
  sendRaw(text: string): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(text);
  }

  /** Sends one JSON message as is. */
  sendJson(message: unknown): void {
    this.sendRaw(JSON.stringify(message));
  }

  /** The caller hangs up: `stop`, then the socket closes. */
  hangUp(): void {
    this.sendJson({
      event: 'stop',
      sequenceNumber: this.#nextSequence(),
      streamSid: this.streamSid,
      stop: { accountSid: 'AC00000000000000000000000000000000', callSid: this.callSid },
    });
    this.#stopTimer();
    this.#socket.close(1000, 'hang-up');
  }

  /** Drops the socket without `stop` (a network failure). */
  dropConnection(): void {
    this.#stopTimer();
    this.#socket.terminate();
  }

  /** Milliseconds of agent audio the caller has heard. */
  heardMs(): number {
    return this.heard.reduce((ms, frame) => ms + frame.mulaw.length / 8, 0);
  }

  /** What the caller heard as 8 kHz PCM, gaps closed up (agent audio only). */
  heardAudio(): Int16Array {
    const out = new Int16Array(this.heard.reduce((n, frame) => n + frame.mulaw.length, 0));
    let at = 0;
    for (const frame of this.heard) {
      out.set(decodeMulaw(frame.mulaw), at);
      at += frame.mulaw.length;
    }
    return out;
  }

  /** The server's messages of one `event` type. */
  messages(event: string): ReceivedMessage[] {
    return this.received.filter(({ message }) => message.event === event);
  }

  /** Resolves once `condition()` holds (checked every 10 ms); rejects after `timeoutMs`. */
  async waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  #nextSequence(): string {
    return String(++this.#sequence);
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as Record<string, unknown>;
    const atMs = this.now();
    this.received.push({ atMs, message });
    if (message.event === 'media') {
      const payload = (message.media as { payload: string }).payload;
      // Idle line: playback starts now, not where it last stopped.
      if (!this.#buffer.some((b) => b.kind === 'media')) this.#playhead = Math.max(this.#playhead, atMs);
      this.#buffer.push({ kind: 'media', mulaw: new Uint8Array(Buffer.from(payload, 'base64')) });
    } else if (message.event === 'mark') {
      this.#buffer.push({ kind: 'mark', name: (message.mark as { name: string }).name });
      this.#play();
    } else if (message.event === 'clear') {
      this.clears.push(atMs);
      this.#play();
      // The frame playing now is cut where it is: its first part was heard.
      const playing = this.#buffer.find((b) => b.kind === 'media');
      const playedSamples = Math.floor((atMs - this.#playhead) * 8);
      if (playing?.kind === 'media' && playedSamples > 0)
        this.heard.push({
          atMs,
          mulaw: playing.mulaw.subarray(0, Math.min(playedSamples, playing.mulaw.length)),
        });
      // "Twilio empties the audio buffer and sends back mark messages matching any remaining marks."
      const dropped = this.#buffer.splice(0);
      for (const entry of dropped) if (entry.kind === 'mark') this.#echo(entry.name, true);
      this.#playhead = atMs;
    }
  }

  #tick(): void {
    this.#sendCallerFrames();
    this.#play();
  }

  /** Plays what is due: a media frame once its 20 ms have elapsed, a mark once what precedes it played. */
  #play(): void {
    const now = this.now();
    while (this.#buffer.length > 0) {
      const head = this.#buffer[0]!;
      if (head.kind === 'mark') {
        this.#buffer.shift();
        this.#echo(head.name, false);
        continue;
      }
      const endsAt = Math.max(this.#playhead, 0) + head.mulaw.length / 8;
      if (endsAt > now) return;
      this.#buffer.shift();
      this.#playhead = endsAt;
      this.heard.push({ atMs: endsAt, mulaw: head.mulaw });
    }
    this.#playhead = Math.max(this.#playhead, now);
  }

  #echo(name: string, wasCleared: boolean): void {
    this.echoedMarks.push({ name, wasCleared });
    this.sendJson({
      event: 'mark',
      sequenceNumber: this.#nextSequence(),
      streamSid: this.streamSid,
      mark: { name },
    });
  }

  /** Caller frames due by now (20 ms each since dial), in bunches when asked. */
  #sendCallerFrames(): void {
    const due = Math.floor(this.now() / FRAME_MS) - this.#micFramesSent;
    for (let i = 0; i < due; i++) {
      const next = this.#mic.shift();
      const mulaw = next?.mulaw ?? new Uint8Array(PHONE_FRAME_SAMPLES).fill(MULAW_SILENCE);
      this.#micFramesSent++;
      this.#outgoing.push({
        onSent: next?.onSent,
        text: JSON.stringify({
          event: 'media',
          sequenceNumber: this.#nextSequence(),
          media: {
            track: 'inbound',
            chunk: String(++this.#chunk),
            timestamp: String((this.#micFramesSent - 1) * FRAME_MS),
            payload: Buffer.from(mulaw).toString('base64'),
          },
          streamSid: this.streamSid,
        }),
      });
    }
    if (this.#outgoing.length < (this.#options.bunch ?? 1)) return;
    const batch = this.#outgoing.splice(0);
    const jitterMs = this.#options.jitterMs ?? 0;
    const send = () => {
      for (const { text, onSent } of batch) {
        this.sendRaw(text);
        onSent?.();
      }
    };
    if (jitterMs <= 0) {
      send();
      return;
    }
    const delay = Math.random() * jitterMs;
    // Chained, so a jittered batch never overtakes the one before it.
    this.#sendChain = this.#sendChain.then(() =>
      new Promise((resolve) => setTimeout(resolve, delay)).then(send),
    );
  }

  #stopTimer(): void {
    EmulatedTwilioCall.#live.delete(this);
    if (EmulatedTwilioCall.#live.size > 0 || EmulatedTwilioCall.#ticker === undefined) return;
    clearInterval(EmulatedTwilioCall.#ticker);
    EmulatedTwilioCall.#ticker = undefined;
  }
}
