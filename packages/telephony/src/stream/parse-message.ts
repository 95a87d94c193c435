import type { DtmfDigit } from '@voxduplex/core';
import type { z } from 'zod';
import { type StreamEvent, type StreamProblem, streamProblem } from './media-stream';

/**
 * The steps every serializer takes before its own: JSON, a known `event`, the carrier's schema.
 * Returns the validated message, or why it was refused. Never throws.
 */
export function parseJsonMessage<T>(
  text: string,
  knownEvents: ReadonlySet<string>,
  schema: z.ZodType<T>,
): { readonly message: T } | StreamProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return streamProblem('malformed', 'not JSON');
  }
  const event = (json as { event?: unknown } | null)?.event;
  if (typeof event !== 'string' || !knownEvents.has(event))
    return streamProblem(
      'unknown_event',
      `unknown event ${JSON.stringify(event)?.slice(0, 40) ?? 'undefined'}`,
    );
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return streamProblem('malformed', `invalid ${event}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { message: parsed.data };
}

/**
 * A carrier's whole parse of one message: {@link parseJsonMessage}, then the messages every
 * carrier shapes alike through {@link commonStreamEvent}, and the carrier's own (`start`, Telnyx's
 * `error`) through `parseOwn`. Never throws (when `parseOwn` does not).
 */
export function parseStreamMessage<T extends { readonly event: string }>(
  text: string,
  knownEvents: ReadonlySet<string>,
  schema: z.ZodType<T>,
  parseOwn: (
    message: Exclude<T, { readonly event: CommonStreamMessage['event'] }>,
  ) => StreamEvent | StreamProblem,
): StreamEvent | StreamProblem {
  const parsed = parseJsonMessage(text, knownEvents, schema);
  if ('problem' in parsed) return parsed;
  const { message } = parsed;
  if (isCommonMessage(message)) return commonStreamEvent(message);
  // Not a common event, so one of T's others: TypeScript does not narrow a generic by exclusion.
  return parseOwn(message as Exclude<T, { readonly event: CommonStreamMessage['event'] }>);
}

/**
 * The fatal problem of a `start` whose audio the serializer does not speak; `spoken` lists what
 * it does, e.g. `'audio/x-mulaw 8000 Hz mono'`.
 */
export function unusableFormat(
  encoding: string,
  sampleRate: number,
  channels: number,
  spoken: string,
): StreamProblem {
  return streamProblem(
    'unusable_format',
    `media format ${encoding} ${sampleRate} Hz × ${channels}; only ${spoken} is spoken`,
    true,
  );
}

const COMMON_EVENTS: ReadonlySet<string> = new Set<CommonStreamMessage['event']>([
  'connected',
  'media',
  'dtmf',
  'mark',
  'stop',
]);

function isCommonMessage(message: { readonly event: string }): message is CommonStreamMessage {
  return COMMON_EVENTS.has(message.event);
}

/** The messages Twilio and Telnyx shape alike (their schemas differ in the envelope only). */
export type CommonStreamMessage =
  | { readonly event: 'connected' }
  | {
      readonly event: 'media';
      readonly media: { readonly track?: string; readonly chunk?: string; readonly payload: string };
    }
  | { readonly event: 'dtmf'; readonly dtmf: { readonly digit: DtmfDigit } }
  | { readonly event: 'mark'; readonly mark: { readonly name: string } }
  | { readonly event: 'stop' };

/**
 * `connected`, `media`, `dtmf`, `mark` and `stop` → events. Media of a track other than the caller's
 * (`inbound`, the agent's own audio on a both-tracks stream) is refused.
 */
export function commonStreamEvent(message: CommonStreamMessage): StreamEvent | StreamProblem {
  switch (message.event) {
    case 'connected':
      return { type: 'connected' };
    case 'media': {
      const { track, chunk, payload } = message.media;
      if (track !== undefined && track !== 'inbound' && track !== 'inbound_track')
        return streamProblem(
          'wrong_track',
          `media of track ${track}: only the caller's (inbound) audio is heard`,
        );
      return {
        type: 'media',
        payload: new Uint8Array(Buffer.from(payload, 'base64')),
        ...(chunk === undefined ? {} : { chunk: Number(chunk) }),
      };
    }
    case 'dtmf':
      return { type: 'dtmf', digit: message.dtmf.digit };
    case 'mark':
      return { type: 'mark', name: message.mark.name };
    case 'stop':
      return { type: 'stop' };
  }
}
