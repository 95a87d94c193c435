import { PCMU_8K } from '../codec/phone-format';
import {
  type MediaStreamSerializer,
  type StreamCommand,
  type StreamEvent,
  type StreamProblem,
  streamProblem,
} from '../stream/media-stream';
import { commonStreamEvent, parseJsonMessage } from '../stream/parse-message';
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

/** One Twilio message → a {@link StreamEvent}, or why not. Never throws. */
export function parseTwilioMessage(text: string): StreamEvent | StreamProblem {
  const parsed = parseJsonMessage(text, KNOWN_EVENTS, twilioInboundSchema);
  if ('problem' in parsed) return parsed;
  const message = parsed.message;
  switch (message.event) {
    case 'start': {
      const { mediaFormat, customParameters = {} } = message.start;
      if (
        mediaFormat.encoding !== TWILIO_MEDIA_FORMAT.encoding ||
        mediaFormat.sampleRate !== TWILIO_MEDIA_FORMAT.sampleRate ||
        mediaFormat.channels !== TWILIO_MEDIA_FORMAT.channels
      )
        return streamProblem(
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
          format: PCMU_8K,
          customParameters,
          ...(customParameters.from === undefined ? {} : { from: customParameters.from }),
          ...(customParameters.to === undefined ? {} : { to: customParameters.to }),
        },
      };
    }
    case 'connected':
    case 'media':
    case 'dtmf':
    case 'mark':
    case 'stop':
      return commonStreamEvent(message);
  }
}

/** One command → the Twilio message text. */
export function serializeTwilioCommand(streamSid: string, command: StreamCommand): string {
  let message: TwilioOutboundMessage;
  if (command.type === 'media')
    message = {
      event: 'media',
      streamSid,
      media: { payload: Buffer.from(command.payload).toString('base64') },
    };
  else if (command.type === 'mark') message = { event: 'mark', streamSid, mark: { name: command.name } };
  else message = { event: 'clear', streamSid };
  return JSON.stringify(message);
}
