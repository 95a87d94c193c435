import { MIC_FRAME_HEADER_BYTES, writeMicFrame } from './mic-frame';

/** First byte of a compact audio message (never the first byte of a Socket.IO text packet). */
export const COMPACT_AUDIO_MARKER = 0xa0;
const MAX_NAMESPACE_BYTES = 255;
const utf8 = new TextEncoder();
const prefixes = new Map<string, Uint8Array>();

/**
 * Encodes one microphone frame as a compact audio message: a single binary Engine.IO message
 * that a server using `voiceParser` (see `voiceServerOptions()`) turns into the `audio` event of
 * `namespace`. A Socket.IO binary event costs two WebSocket messages (a JSON header, then the
 * bytes); this costs one. Only send it to a server whose `ready` says `compactAudio: true`.
 *
 * Layout: `u8 0xA0`, `u8` namespace byte length, the namespace in UTF-8, then the mic frame
 * exactly as the `audio` event carries it (see `encodeMicFrame`).
 */
export function encodeCompactAudio(
  namespace: string,
  samples: Int16Array,
  seq: number,
  sampleRate: number,
): Uint8Array {
  const prefix = compactAudioPrefix(namespace);
  const message = new Uint8Array(prefix.byteLength + MIC_FRAME_HEADER_BYTES + samples.byteLength);
  message.set(prefix);
  writeMicFrame(message.subarray(prefix.byteLength), samples, seq, sampleRate);
  return message;
}

function compactAudioPrefix(namespace: string): Uint8Array {
  let prefix = prefixes.get(namespace);
  if (prefix) return prefix;
  const name = utf8.encode(namespace);
  if (name.byteLength > MAX_NAMESPACE_BYTES)
    throw new RangeError(`namespace of ${name.byteLength} bytes is too long for compact audio`);
  prefix = new Uint8Array(2 + name.byteLength);
  prefix[0] = COMPACT_AUDIO_MARKER;
  prefix[1] = name.byteLength;
  prefix.set(name, 2);
  prefixes.set(namespace, prefix);
  return prefix;
}

/**
 * Splits a compact audio message into its namespace (UTF-8 bytes) and its mic frame, both views
 * of `message`; the frame is validated later, like any `audio` payload. `undefined` when the
 * bytes are not a compact audio message or are cut short.
 */
export function readCompactAudio(
  message: Uint8Array,
): { namespace: Uint8Array; frame: Uint8Array } | undefined {
  if (message.byteLength < 2 || message[0] !== COMPACT_AUDIO_MARKER) return undefined;
  const end = 2 + message[1]!;
  if (message.byteLength < end) return undefined;
  return { namespace: message.subarray(2, end), frame: message.subarray(end) };
}
