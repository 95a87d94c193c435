import { randomBytes, randomUUID } from 'node:crypto';
import type { DtmfDigit } from '@voxduplex/core';
import type { WebSocket } from 'ws';
import type { PhoneAudioFormat } from '../codec/phone-format';
import { type Disorder, EmulatedCall, type EmulatedLineOptions } from './emulated-call';

/** Options of {@link EmulatedTelnyxCall.dial}. */
export interface EmulatedTelnyxCallOptions extends EmulatedLineOptions {
  /** The stream's audio both ways: `'PCMU'` at 8 kHz (default) or `'L16'` at 16 kHz. */
  readonly codec?: 'PCMU' | 'L16';
  /** What `start.media_format` says instead (for tests of formats the server refuses). */
  readonly mediaFormat?: {
    readonly encoding: string;
    readonly sample_rate: number;
    readonly channels: number;
  };
  /** `start.call_control_id` (default a fresh `v3:…` id). */
  readonly callControlId?: string;
  readonly from?: string;
  readonly to?: string;
  /** `start.client_state` (base64). */
  readonly clientState?: string;
  /** Caller frames out of order and twice, as Telnyx allows (default: in order, once each). */
  readonly disorder?: Partial<Disorder>;
}

const FORMATS: Record<'PCMU' | 'L16', PhoneAudioFormat> = {
  PCMU: { encoding: 'mulaw', sampleRate: 8000 },
  L16: { encoding: 'l16', sampleRate: 16_000 },
};

/**
 * Telnyx's side of a bidirectional media stream (`rtp` mode), for tests and benchmarks: connects
 * like Telnyx does and speaks its "Stream call media over WebSocket" messages — `connected`,
 * `start` (with `media_format`, `call_control_id`, `stream_id`, the numbers, `client_state`,
 * `custom_parameters`), caller audio as 20 ms `media` frames (PCMU 8 kHz or L16 16 kHz) numbered
 * by `chunk` and `sequence_number`, `dtmf`, mark echoes, `stop` on {@link hangUp}; {@link sendError}
 * sends an `error` frame. Telnyx does not promise frame order: `disorder` sends some frames after
 * later ones and some twice, in a fixed pattern.
 *
 * Playback, marks and `clear` behave as for {@link EmulatedTwilioCall} (Telnyx documents the
 * same: a mark comes back when the media before it finished playing, a clear returns the queued
 * marks).
 *
 * @example
 * ```ts
 * const call = await EmulatedTelnyxCall.dial({
 *   url: `ws://127.0.0.1:${port}/telnyx/stream`,
 *   disorder: { outOfOrderEvery: 5, duplicateEvery: 7 },
 * });
 * ```
 */
export class EmulatedTelnyxCall extends EmulatedCall {
  readonly callControlId: string;
  readonly streamId: string;
  #sequence = 0;

  private constructor(socket: WebSocket, options: EmulatedTelnyxCallOptions) {
    const disorder = options.disorder;
    super(
      socket,
      options,
      FORMATS[options.codec ?? 'PCMU'],
      disorder && {
        outOfOrderEvery: disorder.outOfOrderEvery ?? 0,
        duplicateEvery: disorder.duplicateEvery ?? 0,
        displacement: disorder.displacement ?? 2,
      },
    );
    this.callControlId = options.callControlId ?? `v3:${randomBytes(24).toString('base64url')}`;
    this.streamId = randomUUID();
  }

  /** Opens the stream and sends `connected` and `start`; caller frames flow from then on. */
  static async dial(options: EmulatedTelnyxCallOptions): Promise<EmulatedTelnyxCall> {
    const call = new EmulatedTelnyxCall(await EmulatedCall.openSocket(options), options);
    const codec = options.codec ?? 'PCMU';
    call.sendJson({ event: 'connected', version: '1.0.0' });
    call.sendJson({
      event: 'start',
      sequence_number: call.#nextSequence(),
      stream_id: call.streamId,
      start: {
        user_id: '3e6f995f-85f7-4705-9741-53b116d28237',
        call_control_id: call.callControlId,
        call_session_id: randomUUID(),
        from: options.from ?? '+13122010094',
        to: options.to ?? '+13122123456',
        ...(options.clientState === undefined ? {} : { client_state: options.clientState }),
        custom_parameters: { ...options.customParameters },
        media_format: options.mediaFormat ?? {
          encoding: codec,
          sample_rate: FORMATS[codec].sampleRate,
          channels: 1,
        },
      },
    });
    call.begin();
    return call;
  }

  /** Telnyx reports a problem with the stream (an `error` frame). */
  sendError(code: number, title: string, detail: string): void {
    this.sendJson({
      event: 'error',
      sequence_number: this.#nextSequence(),
      stream_id: this.streamId,
      payload: { code, title, detail },
    });
  }

  protected mediaMessage(payload: Uint8Array, chunk: number, timestampMs: number): unknown {
    return {
      event: 'media',
      sequence_number: this.#nextSequence(),
      media: {
        track: 'inbound',
        chunk: String(chunk),
        timestamp: String(timestampMs),
        payload: Buffer.from(payload).toString('base64'),
      },
      stream_id: this.streamId,
    };
  }

  protected markMessage(name: string): unknown {
    return { event: 'mark', sequence_number: this.#nextSequence(), stream_id: this.streamId, mark: { name } };
  }

  protected dtmfMessage(digit: DtmfDigit): unknown {
    return {
      event: 'dtmf',
      sequence_number: this.#nextSequence(),
      stream_id: this.streamId,
      occurred_at: new Date().toISOString(),
      dtmf: { digit },
    };
  }

  protected stopMessage(): unknown {
    return {
      event: 'stop',
      sequence_number: this.#nextSequence(),
      stream_id: this.streamId,
      stop: { user_id: '3e6f995f-85f7-4705-9741-53b116d28237', call_control_id: this.callControlId },
    };
  }

  #nextSequence(): string {
    return String(++this.#sequence);
  }
}
