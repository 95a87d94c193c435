import type { DtmfDigit } from '@voxduplex/core';
import type { PhoneAudioFormat } from '../codec/phone-format';

/** What a call's media stream said when it started: who is calling, through which stream. */
export interface CallStart {
  /** The carrier's id of this media stream (Twilio `streamSid`, Telnyx `stream_id`); outbound messages name it. */
  readonly streamId: string;
  /** The carrier's id of the call (Twilio `callSid`, Telnyx `call_control_id`). */
  readonly callId: string;
  /** The carrier account the call belongs to (Twilio `accountSid`, Telnyx `user_id`), when it says. */
  readonly accountId?: string;
  /** The stream's audio, both ways (μ-law 8 kHz on Twilio; PCMU 8 kHz or L16 on Telnyx). */
  readonly format: PhoneAudioFormat;
  /**
   * What the call's set-up passed on (`<Parameter>`s of `<Stream>`, Telnyx `custom_parameters`):
   * a token, a tenant. Strings only, as the carrier sends them.
   */
  readonly customParameters: Readonly<Record<string, string>>;
  /** The caller's number: Telnyx says it; on Twilio when the set-up passed it (`from` custom parameter). */
  readonly from?: string;
  /** The number called: Telnyx says it; on Twilio when the set-up passed it (`to` custom parameter). */
  readonly to?: string;
  /** Telnyx: the call's `client_state` as sent (base64, set by your Call Control commands). */
  readonly clientState?: string;
}

/**
 * One inbound media-stream message, whatever the carrier's wire format. Audio payloads are in
 * the stream's {@link CallStart.format} (every serializer checks it at `start`).
 */
export type StreamEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'start'; readonly call: CallStart }
  | {
      readonly type: 'media';
      /** The caller's audio, encoded as the stream's `format` says. */
      readonly payload: Uint8Array;
      /**
       * The carrier's number of this chunk (1, 2, …), when it numbers them: frames that may
       * arrive out of order (Telnyx) are put back in order by it.
       */
      readonly chunk?: number;
    }
  | { readonly type: 'dtmf'; readonly digit: DtmfDigit }
  /** A `mark` the server sent came back: the audio before it has played (or was cleared). */
  | { readonly type: 'mark'; readonly name: string }
  | { readonly type: 'stop' }
  /** The carrier reports a problem with the stream (Telnyx `error`); the call goes on unless it stops. */
  | { readonly type: 'error'; readonly code: string; readonly message: string };

/**
 * Why an inbound message was refused. `isFatal`: the stream itself cannot be used (an audio
 * format the serializer does not speak); the call is closed with this reason. Otherwise the
 * message is dropped, logged, and the call goes on.
 */
export interface StreamProblem {
  readonly problem: 'malformed' | 'unknown_event' | 'wrong_track' | 'unusable_format';
  readonly message: string;
  readonly isFatal: boolean;
}

/** What the server sends a carrier: agent audio, a mark to be echoed after it, or a clear. */
export type StreamCommand =
  /** 20 ms of agent audio, encoded in the stream's `format`. */
  | { readonly type: 'media'; readonly payload: Uint8Array }
  | { readonly type: 'mark'; readonly name: string }
  | { readonly type: 'clear' };

/**
 * A carrier's media-stream wire format, both ways. The transport core (decoding, reordering,
 * pacing, marks, barge-in, limits, sessions) is the same for every carrier; a serializer only
 * reads and writes messages, and says at `start` which {@link PhoneAudioFormat} the stream
 * carries. {@link twilioSerializer} and {@link telnyxSerializer} implement it; another carrier
 * with connected/start/media/mark/clear semantics fits behind the same two methods.
 */
export interface MediaStreamSerializer {
  /** Short name for logs, e.g. `'twilio'`. */
  readonly carrier: string;
  /** One inbound text message → an event, or why it was refused. Never throws. */
  parse(text: string): StreamEvent | StreamProblem;
  /** One outbound command for the stream `streamId`, as the text message to send. */
  serialize(streamId: string, command: StreamCommand): string;
}

/** Whether `parsed` is a refusal rather than an event. */
export function isStreamProblem(parsed: StreamEvent | StreamProblem): parsed is StreamProblem {
  return 'problem' in parsed;
}

/** A {@link StreamProblem}: `isFatal` closes the call, otherwise the message is dropped. */
export function streamProblem(
  problem: StreamProblem['problem'],
  message: string,
  isFatal = false,
): StreamProblem {
  return { problem, message, isFatal };
}
