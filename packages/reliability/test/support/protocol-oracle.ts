import {
  CLIENT_EVENTS,
  type ErrorReason,
  emptyMessageSchema,
  MIC_FRAME_HEADER_BYTES,
  PROTOCOL_VERSION,
  playbackAckMessageSchema,
  playbackMarkMessageSchema,
  startMessageSchema,
  textMessageSchema,
} from '@voxduplex/transport-socketio';
import { type FuzzCase, RawJson, SOCKET_IO_RESERVED_EVENTS } from './fuzz-cases';

/** What the server must do with one fuzz case. */
export type Expectation =
  | {
      readonly outcome: 'error';
      readonly event: string;
      readonly reason: ErrorReason;
      readonly speechId?: string;
    }
  | { readonly outcome: 'accepted'; readonly effect: 'audio' | 'text' | 'none' }
  /** Socket.IO's own rule (oversized or undecodable packet): this connection is closed. */
  | { readonly outcome: 'closes' }
  /** Dropped by Socket.IO before our code without reply (an ack nobody waits for). */
  | { readonly outcome: 'ignored' };

/** The server settings the oracle predicts against. */
export interface OracleLimits {
  readonly maxFrameBytes: number;
  readonly maxHttpBufferSize: number;
  readonly inputSampleRate: number;
}

/** Packets this close to the size limit are not generated: framing overhead would decide. */
const SIZE_MARGIN_BYTES = 512;

/**
 * Predicts, from PROTOCOL.md and the exported schemas, what the server does with each message
 * of one socket. Tracks the one piece of session state the protocol makes visible to a client
 * that never hears a speech: whether the microphone lane is open (`start` … `stop`).
 */
export class ProtocolOracle {
  isStarted = false;

  constructor(readonly limits: OracleLimits) {}

  /** `args` are the built payloads, as sent. Advances the lane state like the server does. */
  expect(fuzzCase: FuzzCase, args: readonly unknown[]): Expectation {
    if (fuzzCase.kind === 'packet') {
      if (fuzzCase.fate === 'empty-event') return unknownEvent('undefined');
      return { outcome: fuzzCase.fate };
    }
    if (fuzzCase.kind === 'compact') {
      // PROTOCOL.md, compact audio: the `audio` event of the namespace it names; a message cut
      // short is a stray binary message, and another namespace is one this client never joined.
      if (fuzzCase.isCut || fuzzCase.namespace !== '/voice') return { outcome: 'closes' };
      return this.#audio(args[0]);
    }
    const { event } = fuzzCase;
    if (this.#isOversized(event, args)) return { outcome: 'closes' };
    if ((SOCKET_IO_RESERVED_EVENTS as readonly unknown[]).includes(event)) return { outcome: 'closes' };
    if (typeof event !== 'string' || !(CLIENT_EVENTS as readonly string[]).includes(event))
      return unknownEvent(quotedName(event));
    // The server sees the first argument after Socket.IO's JSON round trip. An ack request
    // adds Socket.IO's callback after the arguments: with none, the callback is the payload.
    const payload = args.length === 0 && fuzzCase.withAck ? () => {} : received(args[0]);
    if (event === 'audio') return this.#audio(payload);
    let value = payload;
    if (typeof payload === 'string') {
      try {
        value = JSON.parse(payload);
      } catch {
        return problem(event, 'malformed_json');
      }
    }
    switch (event) {
      case 'start': {
        const start = parsed(startMessageSchema, value);
        if (!start) return problem(event, 'invalid_message');
        if (start.data.sampleRate !== this.limits.inputSampleRate) return problem(event, 'wrong_sample_rate');
        this.isStarted = true;
        return accepted('none');
      }
      case 'stop':
      case 'interrupt':
        if (!parsed(emptyMessageSchema, value ?? undefined)) return problem(event, 'invalid_message');
        if (event === 'stop') this.isStarted = false;
        return accepted('none');
      case 'text':
        return parsed(textMessageSchema, value) ? accepted('text') : problem(event, 'invalid_message');
      case 'playback-ack':
      case 'playback-started':
      case 'playback-finished': {
        const schema = event === 'playback-ack' ? playbackAckMessageSchema : playbackMarkMessageSchema;
        const mark = parsed(schema, value);
        if (!mark) return problem(event, 'invalid_message');
        // A fuzzing client never hears a speech: every speechId it names is forged.
        return { outcome: 'error', event, reason: 'unknown_speech', speechId: mark.data.speechId };
      }
    }
    throw new Error(`oracle has no rule for '${event}'`);
  }

  #audio(payload: unknown): Expectation {
    if (!(payload instanceof Uint8Array)) return problem('audio', 'not_binary');
    if (payload.byteLength > this.limits.maxFrameBytes) return problem('audio', 'frame_too_large');
    if (payload.byteLength < MIC_FRAME_HEADER_BYTES) return problem('audio', 'bad_frame');
    if (payload[0] !== PROTOCOL_VERSION || payload[1] !== 1) return problem('audio', 'bad_frame');
    if ((payload.byteLength - MIC_FRAME_HEADER_BYTES) % 2 !== 0) return problem('audio', 'bad_frame');
    if (!this.isStarted) return problem('audio', 'not_started');
    const sampleRate = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt32LE(8);
    if (sampleRate !== this.limits.inputSampleRate) return problem('audio', 'wrong_sample_rate');
    return accepted('audio');
  }

  /** Whether any engine.io message of this event exceeds `maxHttpBufferSize`. */
  #isOversized(event: string | number, args: readonly unknown[]): boolean {
    const binaries: Uint8Array[] = [];
    const withPlaceholders = args.map((arg) => placeholders(arg, binaries));
    // engine.io type + Socket.IO type + attachments + namespace + ack id, then the JSON.
    const overhead = 1 + 1 + (binaries.length > 0 ? 4 : 0) + '/voice,'.length + 6;
    const sizes = [overhead + jsonBytes([event, ...withPlaceholders]), ...binaries.map((b) => b.byteLength)];
    for (const size of sizes)
      if (Math.abs(size - this.limits.maxHttpBufferSize) < SIZE_MARGIN_BYTES)
        throw new Error(`fuzz case of ${size} bytes is too close to the packet limit to predict`);
    return sizes.some((size) => size > this.limits.maxHttpBufferSize);
  }
}

const accepted = (effect: 'audio' | 'text' | 'none'): Expectation => ({ outcome: 'accepted', effect });
const problem = (event: string, reason: ErrorReason): Expectation => ({ outcome: 'error', event, reason });
const unknownEvent = (event: string): Expectation => problem(event, 'unknown_event');
/** PROTOCOL.md: an error quotes at most 64 characters of an event name, then `…`. */
const quotedName = (event: string | number): string => {
  const name = String(event);
  return name.length <= 64 ? name : `${name.slice(0, 64)}…`;
};

/** The slice of a zod schema the oracle uses. */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** `{ data }` when the value passes (data may be `undefined`: `stop` without payload), else undefined. */
function parsed<T>(schema: Schema<T>, value: unknown): { data: T } | undefined {
  const result = schema.safeParse(value);
  return result.success ? { data: result.data } : undefined;
}

/** The value a server handler gets for an argument: binaries stay binary, the rest is JSON. */
function received(value: unknown): unknown {
  if (value instanceof RawJson) return JSON.parse(value.text);
  if (value instanceof Uint8Array) return value;
  if (value === undefined) return undefined;
  if (hasBinary(value)) return value;
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

function hasBinary(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasBinary);
}

function placeholders(value: unknown, binaries: Uint8Array[]): unknown {
  if (value instanceof RawJson) return value;
  if (value instanceof Uint8Array) {
    binaries.push(value);
    return { _placeholder: true, num: binaries.length - 1 };
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => placeholders(item, binaries));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, placeholders(item, binaries)]));
}

function jsonBytes(value: readonly unknown[]): number {
  // Raw JSON is measured as written; everything else as JSON.stringify writes it.
  return value.reduce<number>(
    (total, item) =>
      total +
      1 +
      (item instanceof RawJson ? item.text.length : Buffer.byteLength(JSON.stringify(item) ?? 'null')),
    1,
  );
}
