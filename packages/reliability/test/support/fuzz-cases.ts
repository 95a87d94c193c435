import { COMPACT_AUDIO_MARKER, MIC_FRAME_HEADER_BYTES } from '@voxduplex/transport-socketio';

/** A microphone frame's header fields and PCM length, as data. */
export interface FrameSpec {
  readonly version: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly pcmBytes: number;
}

/**
 * A payload as data, built into the real value only when sent: a counterexample stays short
 * to print even when it stands for a 4 MB string or 10 000 levels of nesting.
 */
export type PayloadSpec =
  | { readonly json: unknown }
  | { readonly bytes: Uint8Array }
  /** That many zero bytes (printed as a count, not as the bytes). */
  | { readonly zeroBytes: number }
  | { readonly repeat: string; readonly length: number }
  | { readonly nested: number; readonly shape: 'array' | 'object'; readonly asString: boolean }
  | { readonly frame: FrameSpec }
  | { readonly withBinary: string };

/** Which kind of abuse a case stands for (reported as coverage). */
export type FuzzFamily =
  | 'protocol-order'
  | 'wrong-type'
  | 'unknown-event'
  | 'binary-junk'
  | 'malformed-json'
  | 'deep-nesting'
  | 'large'
  | 'huge'
  | 'garbage-packet'
  | 'reserved-event'
  | 'compact-audio';

/** One thing a fuzzing client sends. */
export type FuzzCase =
  | {
      readonly kind: 'event';
      readonly family: FuzzFamily;
      readonly event: string | number;
      readonly args: readonly PayloadSpec[];
      /** Ask for an acknowledgement the server never gives. */
      readonly withAck: boolean;
    }
  | {
      readonly kind: 'packet';
      readonly family: FuzzFamily;
      /** A raw engine.io message: a Socket.IO packet string of our own making, or bytes. */
      readonly packet: string | Uint8Array;
      readonly fate: PacketFate;
    }
  | {
      /** A compact audio message (protocol revision 3): one binary Engine.IO message per frame. */
      readonly kind: 'compact';
      readonly family: FuzzFamily;
      readonly namespace: string;
      readonly frame: FrameSpec;
      /** Claims a 255-byte namespace it does not hold: the message is cut short. */
      readonly isCut: boolean;
    };

/** What one fuzzing socket does: messages, sent before or after its session is `ready`. */
export interface FuzzRun {
  readonly beforeReady: boolean;
  readonly cases: readonly FuzzCase[];
}

/** Event names the Socket.IO parser itself refuses (it closes the connection). */
export const SOCKET_IO_RESERVED_EVENTS = [
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
] as const;

/** What Socket.IO makes of a raw packet of ours, before any code of voxduplex runs. */
export type PacketFate = 'closes' | 'ignored' | 'empty-event';

/** Builds the value a payload spec stands for, as the client sends it. */
export function materialize(spec: PayloadSpec): unknown {
  if ('json' in spec) return spec.json;
  if ('bytes' in spec) return Buffer.from(spec.bytes);
  if ('zeroBytes' in spec) return Buffer.alloc(spec.zeroBytes);
  if ('repeat' in spec) return spec.repeat.repeat(spec.length);
  if ('withBinary' in spec) return { [spec.withBinary]: Buffer.from([1, 2, 3]) };
  if ('frame' in spec) return frameBytes(spec.frame);
  const text = spec.shape === 'array' ? nestedArrayJson(spec.nested) : nestedObjectJson(spec.nested);
  return spec.asString ? text : new RawJson(text);
}

/** The bytes of a compact audio case, as the client sends them. */
export function compactBytes(namespace: string, frame: FrameSpec, isCut: boolean): Buffer {
  const name = Buffer.from(namespace, 'utf8');
  if (isCut) return Buffer.concat([Buffer.from([COMPACT_AUDIO_MARKER, 255]), name]);
  return Buffer.concat([Buffer.from([COMPACT_AUDIO_MARKER, name.byteLength]), name, frameBytes(frame)]);
}

function frameBytes({ version, channels, sampleRate, pcmBytes }: FrameSpec): Buffer {
  const bytes = Buffer.alloc(MIC_FRAME_HEADER_BYTES + pcmBytes);
  bytes.writeUInt8(version, 0);
  bytes.writeUInt8(channels, 1);
  bytes.writeUInt32LE(seq++ >>> 0, 4);
  bytes.writeUInt32LE(sampleRate >>> 0, 8);
  return bytes;
}

/**
 * JSON text to put in a packet as it is. `JSON.stringify` (and so the Socket.IO client) overflows
 * the stack on a few thousand levels of nesting; an attacker writes the packet by hand instead.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

let seq = 0;

function nestedArrayJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function nestedObjectJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
}
