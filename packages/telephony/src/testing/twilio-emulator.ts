import { randomBytes } from 'node:crypto';
import type { DtmfDigit } from '@voxduplex/core';
import type { WebSocket } from 'ws';
import { PCMU_8K } from '../codec/phone-format';
import { TWILIO_MEDIA_FORMAT } from '../twilio/messages';
import { EmulatedCall, type EmulatedLineOptions } from './emulated-call';

/** Options of {@link EmulatedTwilioCall.dial}. */
export interface EmulatedCallOptions extends EmulatedLineOptions {
  /** The `<Parameter>`s of the `<Stream>`: they arrive as `start.customParameters`. */
  readonly customParameters?: Readonly<Record<string, string>>;
  readonly callSid?: string;
  /** What `start.mediaFormat` says (default μ-law 8 kHz mono, the only format Twilio streams). */
  readonly mediaFormat?: {
    readonly encoding: string;
    readonly sampleRate: number;
    readonly channels: number;
  };
}

const ACCOUNT_SID = 'AC00000000000000000000000000000000';

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
export class EmulatedTwilioCall extends EmulatedCall {
  readonly callSid: string;
  readonly streamSid: string;
  #sequence = 0;

  private constructor(socket: WebSocket, options: EmulatedCallOptions) {
    super(socket, options, PCMU_8K);
    this.callSid = options.callSid ?? `CA${randomBytes(16).toString('hex')}`;
    this.streamSid = `MZ${randomBytes(16).toString('hex')}`;
  }

  /** Opens the stream and sends `connected` and `start`; caller frames flow from then on. */
  static async dial(options: EmulatedCallOptions): Promise<EmulatedTwilioCall> {
    const call = new EmulatedTwilioCall(await EmulatedCall.openSocket(options), options);
    call.sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    call.sendJson({
      event: 'start',
      sequenceNumber: call.#nextSequence(),
      start: {
        accountSid: ACCOUNT_SID,
        streamSid: call.streamSid,
        callSid: call.callSid,
        tracks: ['inbound'],
        customParameters: { ...options.customParameters },
        mediaFormat: options.mediaFormat ?? TWILIO_MEDIA_FORMAT,
      },
      streamSid: call.streamSid,
    });
    call.begin();
    return call;
  }

  protected mediaMessage(payload: Uint8Array, chunk: number, timestampMs: number): unknown {
    return {
      event: 'media',
      sequenceNumber: this.#nextSequence(),
      media: {
        track: 'inbound',
        chunk: String(chunk),
        timestamp: String(timestampMs),
        payload: Buffer.from(payload).toString('base64'),
      },
      streamSid: this.streamSid,
    };
  }

  protected markMessage(name: string): unknown {
    return { event: 'mark', sequenceNumber: this.#nextSequence(), streamSid: this.streamSid, mark: { name } };
  }

  protected dtmfMessage(digit: DtmfDigit): unknown {
    return {
      event: 'dtmf',
      streamSid: this.streamSid,
      sequenceNumber: this.#nextSequence(),
      dtmf: { track: 'inbound_track', digit },
    };
  }

  protected stopMessage(): unknown {
    return {
      event: 'stop',
      sequenceNumber: this.#nextSequence(),
      streamSid: this.streamSid,
      stop: { accountSid: ACCOUNT_SID, callSid: this.callSid },
    };
  }

  #nextSequence(): string {
    return String(++this.#sequence);
  }
}
