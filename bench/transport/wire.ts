// What the load generator puts on the wire, pre-encoded once: the Engine.IO v4 / Socket.IO v5
// text packets a voice client sends, and the binary mic frame with a time stamp in its PCM.
import { encodeCompactAudio, encodeMicFrame, MIC_FRAME_HEADER_BYTES } from '@voxduplex/transport-socketio';

/** One microphone frame: 20 ms at 16 kHz, Int16 mono. */
export const FRAME_MS = 20;
export const SAMPLE_RATE = 16_000;
export const SAMPLES_PER_FRAME = (SAMPLE_RATE * FRAME_MS) / 1000;
/** The namespace the bench server attaches the voice agent to. */
export const NAMESPACE = '/voice';

/**
 * Milliseconds on CLOCK_MONOTONIC, which every process on the machine reads alike (unlike
 * `performance.now()`, whose origin is each process's own start): the generator stamps frames
 * with it and the server compares its arrival time to the stamp.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A 20 ms mic frame of silence in the protocol's binary layout (the `audio` event payload). */
export const frameTemplate: Buffer = Buffer.from(
  encodeMicFrame(new Int16Array(SAMPLES_PER_FRAME), 0, SAMPLE_RATE),
);
/** The same frame as a compact audio message for the voice namespace (protocol revision 3). */
export const compactFrameTemplate: Buffer = Buffer.from(
  encodeCompactAudio(NAMESPACE, new Int16Array(SAMPLES_PER_FRAME), 0, SAMPLE_RATE),
);
/** Where the mic frame starts inside {@link compactFrameTemplate}. */
export const COMPACT_FRAME_OFFSET = compactFrameTemplate.length - frameTemplate.length;

/**
 * A fresh copy of `template` (the socket may still hold the previous one) with the frame at
 * `frameOffset` stamped: header `seq` = tick, and the first 8 PCM bytes = tick (u32) and send
 * time in µs after the trial's start (u32).
 */
export function stampedFrame(template: Buffer, frameOffset: number, tick: number, sentUs: number): Buffer {
  const frame = Buffer.allocUnsafe(template.length);
  template.copy(frame);
  frame.writeUInt32LE(tick, frameOffset + 4);
  frame.writeUInt32LE(tick, frameOffset + MIC_FRAME_HEADER_BYTES);
  frame.writeUInt32LE(Math.max(0, Math.round(sentUs)) >>> 0, frameOffset + MIC_FRAME_HEADER_BYTES + 4);
  return frame;
}

/** The stamp of a frame as it reaches the session (PCM samples, the header already stripped). */
export function readStamp(samples: Int16Array): { tick: number; sentUs: number } {
  return {
    tick: (samples[0]! & 0xffff) + (samples[1]! & 0xffff) * 0x10000,
    sentUs: (samples[2]! & 0xffff) + (samples[3]! & 0xffff) * 0x10000,
  };
}

// Engine.IO v4 packet types prefix every text message: 0 open, 2 ping, 3 pong, 4 message.
// Socket.IO v5 packet types follow a `4`: 0 CONNECT, 2 EVENT, 4 CONNECT_ERROR, 5 BINARY_EVENT.

/** Socket.IO CONNECT to the voice namespace with the handshake `auth`. */
export const connectPacket = `40${NAMESPACE},${JSON.stringify({ protocol: 1 })}`;
/** The `start` event, sent on `ready` (what the reference client's autoStart does). */
export const startPacket = `42${NAMESPACE},${JSON.stringify(['start', { sampleRate: SAMPLE_RATE }])}`;
/**
 * The text half of a binary `audio` event: one attachment, a placeholder where the bytes go.
 * Socket.IO sends the attachment as the next (binary) WebSocket message.
 */
export const audioEventHeader: Buffer = Buffer.from(
  `451-${NAMESPACE},${JSON.stringify(['audio', { _placeholder: true, num: 0 }])}`,
);
/** Prefix of a server event packet named `name` on the voice namespace. */
export const eventPrefix = (name: string) => `42${NAMESPACE},["${name}"`;

/**
 * A client-to-server WebSocket frame header (FIN set, masked with the all-zero key, which leaves
 * the payload as it is) for a payload of `length` bytes (< 64 KiB).
 */
function maskedFrameHeader(opcode: 0x1 | 0x2, length: number): Buffer {
  const header = Buffer.alloc(length < 126 ? 6 : 8);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  }
  return header;
}

/** Bytes ready for the socket: whole WebSocket frames, and where the mic frame starts in them. */
export interface FramedTemplate {
  readonly bytes: Buffer;
  readonly frameOffset: number;
}

function framed(
  parts: readonly { opcode: 0x1 | 0x2; payload: Buffer }[],
  frameOffsetInLast: number,
): FramedTemplate {
  const chunks = parts.flatMap(({ opcode, payload }) => [maskedFrameHeader(opcode, payload.length), payload]);
  const bytes = Buffer.concat(chunks);
  return { bytes, frameOffset: bytes.length - parts.at(-1)!.payload.length + frameOffsetInLast };
}

/** A frame as one binary message (bare ws). */
export const framedMicFrame = framed([{ opcode: 0x2, payload: frameTemplate }], 0);
/** A frame as one compact audio message (Socket.IO, revision 3). */
export const framedCompactAudio = framed(
  [{ opcode: 0x2, payload: compactFrameTemplate }],
  COMPACT_FRAME_OFFSET,
);
/** A frame as a binary `audio` event: the text header message, then the bytes (Socket.IO). */
export const framedAudioEvent = framed(
  [
    { opcode: 0x1, payload: audioEventHeader },
    { opcode: 0x2, payload: frameTemplate },
  ],
  0,
);
