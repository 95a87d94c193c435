import type {
  MediaStreamSerializer,
  StreamCommand,
  StreamEvent,
  StreamProblem,
} from '../stream/media-stream';
import { TWILIO_MEDIA_FORMAT, type TwilioOutboundMessage, twilioInboundSchema } from './messages';

const KNOWN_EVENTS = new Set(['connected', 'start', 'media', 'dtmf', 'mark', 'stop']);

/**
 * Twilio Media Streams (bidirectional, `<Connect><Stream>`): reads `connected`, `start`,
 * `media`, `dtmf`, `mark`, `stop` and writes `media`, `mark`, `clear`, as the "Media Streams –
 * WebSocket Messages" reference documents them. Every inbound message is validated with zod;
 * a `start` whose `mediaFormat` is not μ-law 8 kHz mono makes the stream unusable, and `media`
 * of a track other than `inbound` (the agent's own audio) is refused.
 */
export function twilioSerializer(): MediaStreamSerializer {
  return { carrier: 'twilio', parse: parseTwilioMessage, serialize: serializeTwilioCommand };
}

function problem(kind: StreamProblem['problem'], message: string, isFatal = false): StreamProblem {
  return { problem: kind, message, isFatal };
}

/** One Twilio message → a {@link StreamEvent}, or why not. Never throws. */
export function parseTwilioMessage(text: string): StreamEvent | StreamProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return problem('malformed', 'not JSON');
  }
  const event = (json as { event?: unknown } | null)?.event;
  if (typeof event !== 'string' || !KNOWN_EVENTS.has(event))
    return problem('unknown_event', `unknown event ${JSON.stringify(event)?.slice(0, 40) ?? 'undefined'}`);
  const parsed = twilioInboundSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return problem('malformed', `invalid ${event}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const message = parsed.data;
  switch (message.event) {
    case 'connected':
      return { type: 'connected' };
    case 'start': {
      const { mediaFormat, customParameters = {} } = message.start;
      if (
        mediaFormat.encoding !== TWILIO_MEDIA_FORMAT.encoding ||
        mediaFormat.sampleRate !== TWILIO_MEDIA_FORMAT.sampleRate ||
        mediaFormat.channels !== TWILIO_MEDIA_FORMAT.channels
      )
        return problem(
          'unusable_format',
          `media format ${mediaFormat.encoding} ${mediaFormat.sampleRate} Hz × ${mediaFormat.channels}; ` +
            'only audio/x-mulaw 8000 Hz mono is spoken',
          true,
        );
      return {
        type: 'start',
        call: {
          streamId: message.start.streamSid,
          callId: message.start.callSid,
          ...(message.start.accountSid === undefined ? {} : { accountId: message.start.accountSid }),
          customParameters,
          ...(customParameters.from === undefined ? {} : { from: customParameters.from }),
          ...(customParameters.to === undefined ? {} : { to: customParameters.to }),
        },
      };
    }
    case 'media': {
      const { track, chunk, payload } = message.media;
      if (track !== undefined && track !== 'inbound' && track !== 'inbound_track')
        return problem('wrong_track', `media of track ${track}: only the caller's (inbound) audio is heard`);
      return {
        type: 'media',
        mulaw: new Uint8Array(Buffer.from(payload, 'base64')),
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

/** One command → the Twilio message text. */
export function serializeTwilioCommand(streamSid: string, command: StreamCommand): string {
  let message: TwilioOutboundMessage;
  if (command.type === 'media')
    message = {
      event: 'media',
      streamSid,
      media: { payload: Buffer.from(command.mulaw).toString('base64') },
    };
  else if (command.type === 'mark') message = { event: 'mark', streamSid, mark: { name: command.name } };
  else message = { event: 'clear', streamSid };
  return JSON.stringify(message);
}
