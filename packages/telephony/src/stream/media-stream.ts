import type { DtmfDigit } from '@voxduplex/core';

/** What a call's media stream said when it started: who is calling, through which stream. */
export interface CallStart {
  /** The carrier's id of this media stream (Twilio `streamSid`); outbound messages name it. */
  readonly streamId: string;
  /** The carrier's id of the call (Twilio `callSid`). */
  readonly callId: string;
  /** The carrier account the call belongs to (Twilio `accountSid`), when it says. */
  readonly accountId?: string;
  /**
   * What the call's set-up passed on (Twilio `<Parameter>`s of `<Stream>`): a token, a tenant.
   * Strings only, as the carrier sends them.
   */
  readonly customParameters: Readonly<Record<string, string>>;
  /** The caller's number, when the set-up passed it (`from` custom parameter). */
  readonly from?: string;
  /** The number called, when the set-up passed it (`to` custom parameter). */
  readonly to?: string;
}

/**
 * One inbound media-stream message, whatever the carrier's wire format. Audio is μ-law 8 kHz
 * (the format every serializer checks at `start`).
 */
export type StreamEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'start'; readonly call: CallStart }
  | {
      readonly type: 'media';
      /** μ-law 8 kHz, one byte per sample. */
      readonly mulaw: Uint8Array;
      /** The carrier's order of this chunk, when it numbers them. */
      readonly chunk?: number;
    }
  | { readonly type: 'dtmf'; readonly digit: DtmfDigit }
  /** A `mark` the server sent came back: the audio before it has played (or was cleared). */
  | { readonly type: 'mark'; readonly name: string }
  | { readonly type: 'stop' };

/**
 * Why an inbound message was refused. `isFatal`: the stream itself cannot be used (its audio
 * format is not μ-law 8 kHz mono); the call is closed with this reason. Otherwise the message is
 * dropped, logged, and the call goes on.
 */
export interface StreamProblem {
  readonly problem: 'malformed' | 'unknown_event' | 'wrong_track' | 'unusable_format';
  readonly message: string;
  readonly isFatal: boolean;
}

/** What the server sends a carrier: agent audio, a mark to be echoed after it, or a clear. */
export type StreamCommand =
  | { readonly type: 'media'; readonly mulaw: Uint8Array }
  | { readonly type: 'mark'; readonly name: string }
  | { readonly type: 'clear' };

/**
 * A carrier's media-stream wire format, both ways. The transport core (pacing, marks, barge-in,
 * limits, sessions) is the same for every carrier; a serializer only reads and writes messages.
 * {@link twilioSerializer} is the first; another carrier with connected/start/media/mark/clear
 * semantics fits behind the same two methods.
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
