import { AudioFormatError, ProtocolError, type VoxError } from '@voxduplex/core';
import type { z } from 'zod';
import { bytesOf } from '../protocol/binary';
import {
  emptyMessageSchema,
  playbackAckMessageSchema,
  playbackMarkMessageSchema,
  startMessageSchema,
  textMessageSchema,
} from '../protocol/client-messages';
import { decodeMicFrame, type MicFrame } from '../protocol/mic-frame';
import { isClientEventName } from '../protocol/version';
import type { ErrorReason } from '../protocol/wire-error';

/** A client message that passed its schema. */
export type ClientMessage =
  | { readonly type: 'start'; readonly sampleRate: number }
  | { readonly type: 'stop' }
  | { readonly type: 'audio'; readonly frame: MicFrame }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'interrupt' }
  | { readonly type: 'playback-ack'; readonly speechId: string; readonly playedMs: number }
  | { readonly type: 'playback-started'; readonly speechId: string }
  | { readonly type: 'playback-finished'; readonly speechId: string };

/** Why an inbound message was dropped. */
export interface InboundProblem {
  readonly reason: ErrorReason;
  readonly error: VoxError;
}

/** Whether a parse result is a problem. */
export function isProblem<T>(value: T | InboundProblem): value is InboundProblem {
  return typeof value === 'object' && value !== null && 'reason' in value && 'error' in value;
}

const protocolProblem = (reason: ErrorReason, message: string): InboundProblem => ({
  reason,
  error: new ProtocolError(message, { source: 'transport:socketio' }),
});
const audioProblem = (reason: ErrorReason, message: string): InboundProblem => ({
  reason,
  error: new AudioFormatError(message, { source: 'transport:socketio' }),
});

/** Most characters of a client's event name an error quotes back. */
export const MAX_ECHOED_EVENT_CHARS = 64;

/**
 * An inbound event name as errors quote it: cut to {@link MAX_ECHOED_EVENT_CHARS} (then `…`), so
 * a client sending 60 KB names does not get each one reflected back, twice, per error.
 */
export function echoedEventName(event: unknown): string {
  const name = String(event);
  return name.length <= MAX_ECHOED_EVENT_CHARS ? name : `${name.slice(0, MAX_ECHOED_EVENT_CHARS)}…`;
}

/**
 * Validates one inbound Socket.IO event against the protocol: event name, schema, and for audio
 * the binary layout and `maxFrameBytes`. Session-dependent checks (started, sample rate, known
 * speechIds) happen later. Never throws.
 */
export function parseClientMessage(
  event: unknown,
  args: readonly unknown[],
  maxFrameBytes: number,
): ClientMessage | InboundProblem {
  if (!isClientEventName(event))
    return protocolProblem('unknown_event', `unknown event '${echoedEventName(event)}'`);
  const payload = args[0];
  if (event === 'audio') return parseAudioMessage(payload, maxFrameBytes);
  let value: unknown = payload;
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload);
    } catch {
      return protocolProblem('malformed_json', `'${event}' payload is a string that is not valid JSON`);
    }
  }
  switch (event) {
    case 'start': {
      const parsed = parse(startMessageSchema, value, event);
      return isProblem(parsed) ? parsed : { type: 'start', sampleRate: parsed.sampleRate };
    }
    case 'stop':
    case 'interrupt': {
      const parsed = parse(emptyMessageSchema, value ?? undefined, event);
      return isProblem(parsed) ? parsed : { type: event };
    }
    case 'text': {
      const parsed = parse(textMessageSchema, value, event);
      return isProblem(parsed) ? parsed : { type: 'text', text: parsed.text };
    }
    case 'playback-ack': {
      const parsed = parse(playbackAckMessageSchema, value, event);
      return isProblem(parsed) ? parsed : { type: event, ...parsed };
    }
    case 'playback-started':
    case 'playback-finished': {
      const parsed = parse(playbackMarkMessageSchema, value, event);
      return isProblem(parsed) ? parsed : { type: event, speechId: parsed.speechId };
    }
  }
}

/**
 * Validates the payload of an `audio` event: binary, at most `maxFrameBytes`, a well-formed mic
 * frame. The path every 20 ms frame takes, so it skips the generic one. Never throws.
 */
export function parseAudioMessage(
  payload: unknown,
  maxFrameBytes: number,
): Extract<ClientMessage, { type: 'audio' }> | InboundProblem {
  const bytes = bytesOf(payload);
  if (bytes && bytes.byteLength > maxFrameBytes)
    return audioProblem('frame_too_large', `audio frame of ${bytes.byteLength} bytes > ${maxFrameBytes}`);
  const decoded = decodeMicFrame(bytes ?? payload);
  if ('problem' in decoded) return audioProblem(decoded.problem, decoded.detail);
  return { type: 'audio', frame: decoded.frame };
}

function parse<S extends z.ZodType>(schema: S, value: unknown, event: string): z.output<S> | InboundProblem {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
  return protocolProblem('invalid_message', `invalid '${event}': ${issues.join('; ')}`);
}
