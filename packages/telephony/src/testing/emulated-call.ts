import type { DtmfDigit } from '@voxduplex/core';
import { WebSocket } from 'ws';
import { AgentAudioEncoder } from '../codec/phone-audio';
import {
  bytesPerSample,
  decodePayload,
  frameSamples,
  type PhoneAudioFormat,
  payloadMs,
  silencePayload,
} from '../codec/phone-format';
import type { StreamCommand } from '../stream/media-stream';

/** Options every emulated carrier takes. */
export interface EmulatedLineOptions {
  /** The media stream's WebSocket URL, e.g. `ws://127.0.0.1:3000/twilio/stream`. */
  readonly url: string;
  /** The stream's custom parameters (`<Parameter>`s of `<Stream>`), as `start` carries them. */
  readonly customParameters?: Readonly<Record<string, string>>;
  /** Headers of the WebSocket upgrade request. */
  readonly headers?: Readonly<Record<string, string>>;
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
  /** How much of it played, ms. */
  readonly durationMs: number;
  /** What played, PCM at the line's rate. */
  readonly samples: Int16Array;
}

/** A message the server sent, with when it arrived (ms since the call was dialled). */
export type ReceivedMessage = { readonly atMs: number; readonly message: Record<string, unknown> };

/**
 * Which caller frames go out of order or twice (Telnyx does not promise order), as a fixed
 * pattern so a run is repeatable: frame n (1, 2, …) is displaced when n is a multiple of
 * `outOfOrderEvery`, sent again when n is a multiple of `duplicateEvery` (0: never).
 */
export interface Disorder {
  /** Every this-many-th caller frame is sent after the `displacement` frames that follow it. */
  readonly outOfOrderEvery: number;
  /** Every this-many-th caller frame is sent a second time, `displacement` frames later. */
  readonly duplicateEvery: number;
  /** How many later frames a displaced or repeated frame comes after (default 2). */
  readonly displacement: number;
}

type Buffered =
  | { readonly kind: 'media'; readonly payload: Uint8Array }
  | { readonly kind: 'mark'; readonly name: string };

type Outgoing = { readonly text: string; readonly onSent: (() => void) | undefined };

const TICK_MS = 10;
const FRAME_MS = 20;

/**
 * A carrier's side of a bidirectional media stream, whatever its wire format: caller audio in
 * real time (20 ms frames, silence when the caller says nothing, as a live call does),
 * optionally bunched, jittered or disordered; the agent's audio played at real time into
 * {@link heard}; a mark echoed only when the audio sent before it has played; a `clear` drops the
 * buffered audio and echoes every mark still queued at once (as Twilio and Telnyx document).
 * {@link EmulatedTwilioCall} and {@link EmulatedTelnyxCall} give it their messages.
 */
export abstract class EmulatedCall {
  /** Calls whose line is open: one timer serves them all (a bench dials hundreds). */
  static readonly #live = new Set<EmulatedCall>();
  static #ticker: ReturnType<typeof setInterval> | undefined;

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
  /** The stream's audio format, both ways. */
  readonly format: PhoneAudioFormat;

  readonly #socket: WebSocket;
  readonly #options: EmulatedLineOptions;
  readonly #t0 = performance.now();
  readonly #mic: { readonly payload: Uint8Array; readonly onSent?: () => void }[] = [];
  readonly #outgoing: Outgoing[] = [];
  readonly #buffer: Buffered[] = [];
  readonly #disorder: Disorder | undefined;
  /** Frames held back (disorder): sent once `after` more frames went. */
  readonly #held: { after: number; readonly frame: Outgoing }[] = [];
  #playhead = 0;
  #micFramesSent = 0;
  #sendChain: Promise<void> = Promise.resolve();

  protected constructor(
    socket: WebSocket,
    options: EmulatedLineOptions,
    format: PhoneAudioFormat,
    disorder?: Disorder,
  ) {
    this.#socket = socket;
    this.#options = options;
    this.format = format;
    this.#disorder = disorder;
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        this.#stopTimer();
        resolve({ code, reason: reason.toString() });
      }),
    );
    socket.on('message', (data) => this.#onMessage(data.toString()));
  }

  /** Opens the WebSocket as the carrier does. */
  protected static async openSocket(options: EmulatedLineOptions): Promise<WebSocket> {
    const socket = new WebSocket(options.url, { headers: { ...options.headers } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return socket;
  }

  /** The carrier's `media` message for caller frame number `chunk` (1, 2, …). */
  protected abstract mediaMessage(payload: Uint8Array, chunk: number, timestampMs: number): unknown;
  /** The carrier's echo of mark `name`. */
  protected abstract markMessage(name: string): unknown;
  /** The carrier's `dtmf` message. */
  protected abstract dtmfMessage(digit: DtmfDigit): unknown;
  /** The carrier's `stop` message. */
  protected abstract stopMessage(): unknown;
  /**
   * What a server message asks (undefined: not a command the line acts on). Both carriers write
   * `{ event: 'media', media: { payload } }`, `{ event: 'mark', mark: { name } }` and
   * `{ event: 'clear' }` (Twilio adds `streamSid`).
   */
  protected readCommand(message: Record<string, unknown>): StreamCommand | undefined {
    if (message.event === 'media')
      return {
        type: 'media',
        payload: new Uint8Array(Buffer.from((message.media as { payload: string }).payload, 'base64')),
      };
    if (message.event === 'mark') return { type: 'mark', name: (message.mark as { name: string }).name };
    if (message.event === 'clear') return { type: 'clear' };
    return undefined;
  }

  /** Starts the caller's frames (after `connected` and `start` went). */
  protected begin(): void {
    EmulatedCall.#live.add(this);
    EmulatedCall.#ticker ??= setInterval(() => {
      for (const live of EmulatedCall.#live) live.#tick();
    }, TICK_MS);
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
    const encoder = new AgentAudioEncoder(sampleRate, this.format);
    const frames = [...encoder.encode(samples), ...encoder.flush()];
    let lastVoiced = frames.length - 1;
    while (
      lastVoiced > 0 &&
      !decodePayload(this.format, frames[lastVoiced]!.payload).some((v) => Math.abs(v) > level)
    )
      lastVoiced--;
    return new Promise((resolve) => {
      for (const [i, frame] of frames.entries())
        this.#mic.push(
          i === lastVoiced
            ? { payload: frame.payload, onSent: () => resolve({ voiceEndedAt: performance.now() }) }
            : { payload: frame.payload },
        );
    });
  }

  /** Milliseconds of queued caller speech not yet sent. */
  get unsaidMs(): number {
    return this.#mic.length * FRAME_MS;
  }

  /** The caller presses a key. */
  pressKey(digit: DtmfDigit): void {
    this.sendJson(this.dtmfMessage(digit));
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
    this.sendJson(this.stopMessage());
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
    return this.heard.reduce((ms, frame) => ms + frame.durationMs, 0);
  }

  /** What the caller heard as PCM at the line's rate, gaps closed up (agent audio only). */
  heardAudio(): Int16Array {
    const out = new Int16Array(this.heard.reduce((n, frame) => n + frame.samples.length, 0));
    let at = 0;
    for (const frame of this.heard) {
      out.set(frame.samples, at);
      at += frame.samples.length;
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

  #onMessage(text: string): void {
    const message = JSON.parse(text) as Record<string, unknown>;
    const atMs = this.now();
    this.received.push({ atMs, message });
    const command = this.readCommand(message);
    if (command?.type === 'media') {
      // Idle line: playback starts now, not where it last stopped.
      if (!this.#buffer.some((b) => b.kind === 'media')) this.#playhead = Math.max(this.#playhead, atMs);
      this.#buffer.push({ kind: 'media', payload: command.payload });
    } else if (command?.type === 'mark') {
      this.#buffer.push({ kind: 'mark', name: command.name });
      this.#play();
    } else if (command?.type === 'clear') {
      this.clears.push(atMs);
      this.#play();
      // The frame playing now is cut where it is: its first part was heard.
      const playing = this.#buffer.find((b) => b.kind === 'media');
      const playedBytes =
        Math.floor(((atMs - this.#playhead) * this.format.sampleRate) / 1000) * bytesPerSample(this.format);
      if (playing?.kind === 'media' && playedBytes > 0)
        this.#hear(atMs, playing.payload.subarray(0, Math.min(playedBytes, playing.payload.length)));
      // Both carriers: the buffer is emptied and every mark still queued comes back at once.
      const dropped = this.#buffer.splice(0);
      for (const entry of dropped) if (entry.kind === 'mark') this.#echo(entry.name, true);
      this.#playhead = atMs;
    }
  }

  #hear(atMs: number, payload: Uint8Array): void {
    this.heard.push({
      atMs,
      durationMs: payloadMs(this.format, payload.length),
      samples: decodePayload(this.format, payload),
    });
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
      const endsAt = Math.max(this.#playhead, 0) + payloadMs(this.format, head.payload.length);
      if (endsAt > now) return;
      this.#buffer.shift();
      this.#playhead = endsAt;
      this.#hear(endsAt, head.payload);
    }
    this.#playhead = Math.max(this.#playhead, now);
  }

  #echo(name: string, wasCleared: boolean): void {
    this.echoedMarks.push({ name, wasCleared });
    this.sendJson(this.markMessage(name));
  }

  /** Caller frames due by now (20 ms each since dial), disordered and bunched when asked. */
  #sendCallerFrames(): void {
    const due = Math.floor(this.now() / FRAME_MS) - this.#micFramesSent;
    for (let i = 0; i < due; i++) {
      const next = this.#mic.shift();
      const payload = next?.payload ?? silencePayload(this.format, frameSamples(this.format));
      this.#micFramesSent++;
      const frame = {
        onSent: next?.onSent,
        text: JSON.stringify(
          this.mediaMessage(payload, this.#micFramesSent, (this.#micFramesSent - 1) * FRAME_MS),
        ),
      };
      this.#queueFrame(frame, this.#micFramesSent);
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

  /** Frame `n` into the outgoing queue: now, or held back behind later ones (and maybe twice). */
  #queueFrame(frame: Outgoing, n: number): void {
    const disorder = this.#disorder;
    if (!disorder) {
      this.#outgoing.push(frame);
      return;
    }
    const isMultipleOf = (every: number) => every > 0 && n % every === 0;
    const waiting = this.#held.splice(0);
    if (isMultipleOf(disorder.outOfOrderEvery)) this.#held.push({ after: disorder.displacement, frame });
    else this.#outgoing.push(frame);
    if (isMultipleOf(disorder.duplicateEvery))
      this.#held.push({ after: disorder.displacement, frame: { text: frame.text, onSent: undefined } });
    // Frames held back go after this one once their count runs out.
    for (const held of waiting) {
      if (--held.after > 0) this.#held.push(held);
      else this.#outgoing.push(held.frame);
    }
  }

  #stopTimer(): void {
    EmulatedCall.#live.delete(this);
    if (EmulatedCall.#live.size > 0 || EmulatedCall.#ticker === undefined) return;
    clearInterval(EmulatedCall.#ticker);
    EmulatedCall.#ticker = undefined;
  }
}
