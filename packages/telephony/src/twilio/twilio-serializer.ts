import { PCMU_8K } from '../codec/phone-format';
import { commandMessage } from '../stream/command-message';
import type {
  MediaStreamSerializer,
  StreamCommand,
  StreamEvent,
  StreamProblem,
} from '../stream/media-stream';
import { parseStreamMessage, unusableFormat } from '../stream/parse-message';
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
  // Twilio's only message of its own is `start`.
  return parseStreamMessage(text, KNOWN_EVENTS, twilioInboundSchema, ({ start }) => {
    const { mediaFormat, customParameters = {} } = start;
    if (
      mediaFormat.encoding !== TWILIO_MEDIA_FORMAT.encoding ||
      mediaFormat.sampleRate !== TWILIO_MEDIA_FORMAT.sampleRate ||
      mediaFormat.channels !== TWILIO_MEDIA_FORMAT.channels
    )
      return unusableFormat(
        mediaFormat.encoding,
        mediaFormat.sampleRate,
        mediaFormat.channels,
        'audio/x-mulaw 8000 Hz mono',
      );
    return {
      type: 'start',
      call: {
        streamId: start.streamSid,
        callId: start.callSid,
        ...(start.accountSid === undefined ? {} : { accountId: start.accountSid }),
        format: PCMU_8K,
        customParameters,
        ...(customParameters.from === undefined ? {} : { from: customParameters.from }),
        ...(customParameters.to === undefined ? {} : { to: customParameters.to }),
      },
    };
  });
}

/** One command → the Twilio message text. */
export function serializeTwilioCommand(streamSid: string, command: StreamCommand): string {
  const message: TwilioOutboundMessage = { streamSid, ...commandMessage(command) };
  return JSON.stringify(message);
}
