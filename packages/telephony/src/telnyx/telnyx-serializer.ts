import type { PhoneAudioFormat } from '../codec/phone-format';
import { commandMessage } from '../stream/command-message';
import type {
  MediaStreamSerializer,
  StreamCommand,
  StreamEvent,
  StreamProblem,
} from '../stream/media-stream';
import { parseStreamMessage, unusableFormat } from '../stream/parse-message';
import { type TelnyxOutboundMessage, telnyxInboundSchema } from './messages';

const KNOWN_EVENTS = new Set(['connected', 'start', 'media', 'dtmf', 'mark', 'stop', 'error']);

/** The formats this serializer speaks: Telnyx's `media_format` → ours. */
function formatOf(encoding: string, sampleRate: number, channels: number): PhoneAudioFormat | undefined {
  if (channels !== 1) return undefined;
  if (encoding === 'PCMU' && sampleRate === 8000) return { encoding: 'mulaw', sampleRate };
  if (encoding === 'L16' && (sampleRate === 8000 || sampleRate === 16_000))
    return { encoding: 'l16', sampleRate };
  return undefined;
}

/**
 * Telnyx media streaming, bidirectional in `rtp` mode: reads `connected`, `start`, `media`,
 * `dtmf`, `mark`, `stop` and `error`, and writes `media`, `mark` and `clear`, as Telnyx's "Stream
 * call media over WebSocket" reference documents them. The stream's audio is PCMU at 8 kHz or
 * L16 (big-endian, RTP's byte order) at 8 or 16 kHz, the same both ways: start the stream with
 * the bidirectional codec and rate equal to the streamed ones ({@link connectStreamTexml} does).
 * Any other `media_format` makes the stream unusable. Telnyx does not promise that media frames
 * arrive in order: each carries its `chunk` number, and the transport puts them back in order.
 *
 * @example
 * ```ts
 * attachPhoneAgent(server, { serializer: telnyxSerializer(), allowAnonymous: true, createSession });
 * // Telnyx connects to wss://<host>/telnyx/stream
 * ```
 */
export function telnyxSerializer(): MediaStreamSerializer {
  return { carrier: 'telnyx', parse: parseTelnyxMessage, serialize: serializeTelnyxCommand };
}

/** One Telnyx message → a {@link StreamEvent}, or why not. Never throws. */
export function parseTelnyxMessage(text: string): StreamEvent | StreamProblem {
  // Telnyx's messages of its own are `start` and `error`.
  return parseStreamMessage(text, KNOWN_EVENTS, telnyxInboundSchema, (message) => {
    if (message.event === 'error') {
      const { code, title, detail } = message.payload;
      return { type: 'error', code: String(code), message: [title, detail].filter(Boolean).join(': ') };
    }
    const { start } = message;
    const { encoding, sample_rate, channels } = start.media_format;
    const format = formatOf(encoding, sample_rate, channels);
    if (!format)
      return unusableFormat(encoding, sample_rate, channels, 'PCMU 8000 Hz or L16 8000/16000 Hz mono');
    const optional = (name: string, value: string | null | undefined) =>
      value === undefined || value === null ? {} : { [name]: value };
    return {
      type: 'start',
      call: {
        streamId: message.stream_id,
        callId: start.call_control_id,
        ...optional('accountId', start.user_id),
        format,
        customParameters: start.custom_parameters ?? {},
        ...optional('from', start.from),
        ...optional('to', start.to),
        ...optional('clientState', start.client_state),
      },
    };
  });
}

/** One command → the Telnyx message text (Telnyx needs no stream id on outbound frames). */
export function serializeTelnyxCommand(_streamId: string, command: StreamCommand): string {
  const message: TelnyxOutboundMessage = commandMessage(command);
  return JSON.stringify(message);
}
