import { CLIENT_EVENTS, SERVER_EVENTS } from '@voxduplex/transport-socketio';
import fc from 'fast-check';
import {
  type FuzzCase,
  type FuzzFamily,
  type FuzzRun,
  type PacketFate,
  type PayloadSpec,
  SOCKET_IO_RESERVED_EVENTS,
} from './fuzz-cases';

const json = (value: unknown): PayloadSpec => ({ json: value });
const forgedSpeechId = fc.oneof(
  fc.constantFrom('speech_forged', 'speech_0', 'x'),
  fc.string({ minLength: 1, maxLength: 128 }),
);
const sampleRate = fc.oneof(
  { weight: 4, arbitrary: fc.constant(16_000) },
  { weight: 1, arbitrary: fc.constantFrom(8000, 44_100, 48_000, 0, 1, 0xffff_ffff) },
);
/** A microphone frame with a well-formed or broken header and an even or odd PCM length. */
const frame = fc.record({
  version: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: 0, max: 255 })),
  channels: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: 0, max: 255 })),
  sampleRate,
  pcmBytes: fc.oneof(
    { weight: 4, arbitrary: fc.constant(640) },
    fc.integer({ min: 0, max: 2000 }),
    fc.integer({ min: 9000, max: 20_000 }),
  ),
});

/** Well-formed messages in any order: audio before start, after stop, acks of unknown speeches… */
const protocolOrder: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    sampleRate.map((rate) => ({ event: 'start', args: [json({ sampleRate: rate })] })),
    fc.constant({ event: 'stop', args: [] }),
    fc.constant({ event: 'interrupt', args: [json({})] }),
    fc
      .record({ version: fc.constant(1), channels: fc.constant(1), sampleRate, pcmBytes: fc.constant(640) })
      .map((f) => ({ event: 'audio', args: [{ frame: f }] })),
    fc.string({ minLength: 1, maxLength: 60 }).map((text) => ({ event: 'text', args: [json({ text })] })),
    fc
      .tuple(fc.constantFrom('playback-ack', 'playback-started', 'playback-finished'), forgedSpeechId)
      .map(([event, speechId]) => ({ event, args: [json({ speechId, playedMs: 100 })] })),
  )
  .chain((message) =>
    fc.boolean().map((withAck) => ({ kind: 'event', family: 'protocol-order', withAck, ...message })),
  );

const anyEventName = fc.oneof(
  fc.constantFrom(...CLIENT_EVENTS),
  fc.constantFrom(...SERVER_EVENTS, '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
);

const smallPayload: fc.Arbitrary<PayloadSpec> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map(json),
  fc.string({ unit: 'binary', maxLength: 50 }).map(json),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes })),
  fc.string({ maxLength: 10 }).map((key) => ({ withBinary: key })),
);

const withAck = fc.boolean();
const eventCase = (
  family: FuzzFamily,
  event: fc.Arbitrary<string | number>,
  first: fc.Arbitrary<PayloadSpec>,
) =>
  fc.record({ event, first, rest: fc.array(smallPayload, { maxLength: 2 }), withAck }).map(
    ({ event, first, rest, withAck }): FuzzCase => ({
      kind: 'event',
      family,
      event,
      args: [first, ...rest],
      withAck,
    }),
  );

const knownEvent = fc.constantFrom(...CLIENT_EVENTS);

/** Known events with payloads of the wrong type, shape or range. */
const wrongType = fc.oneof(
  eventCase('wrong-type', knownEvent, smallPayload),
  fc
    .record({ event: knownEvent, withAck })
    .map(
      ({ event, withAck }): FuzzCase => ({ kind: 'event', family: 'wrong-type', event, args: [], withAck }),
    ),
  eventCase(
    'wrong-type',
    fc.constantFrom('start', 'text', 'playback-ack'),
    fc
      .record({
        sampleRate: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        text: fc.oneof(fc.string({ maxLength: 8 }), fc.constant('   '), fc.integer()),
        speechId: fc.oneof(fc.constant(''), fc.string({ minLength: 129, maxLength: 200 }), fc.integer()),
        playedMs: fc.oneof(fc.double(), fc.constant(-1), fc.string()),
        channels: fc.integer({ min: 0, max: 3 }),
      })
      .map(json),
  ),
);

const unknownEvent = eventCase(
  'unknown-event',
  anyEventName.filter((name) => !(SOCKET_IO_RESERVED_EVENTS as readonly unknown[]).includes(name)),
  smallPayload,
);

/** Audio (and other events) carrying binary junk and frames with broken headers. */
const binaryJunk = eventCase(
  'binary-junk',
  fc.oneof({ weight: 5, arbitrary: fc.constant('audio') }, knownEvent),
  fc.oneof(
    fc.uint8Array({ maxLength: 2000 }).map((bytes): PayloadSpec => ({ bytes })),
    frame.map((f): PayloadSpec => ({ frame: f })),
    fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 400 }).map(json),
    fc.base64String({ maxLength: 200 }).map(json),
  ),
);

/** Strings that are not JSON, sent where a JSON payload (or its string form) is expected. */
const malformedJson = eventCase(
  'malformed-json',
  fc.constantFrom('start', 'stop', 'text', 'interrupt', 'playback-ack', 'playback-started'),
  fc
    .oneof(
      fc.constantFrom('{"text": "unterminated', '{', '[1,2', '{"a":}', 'undefined', "{'a':1}", 'NaN', '"'),
      fc.string({ maxLength: 80 }),
    )
    .filter((text) => !isJson(text))
    .map(json),
);

/** 100 to 20 000 levels of nested arrays or objects, as a value or as a JSON string. */
const deepNesting = fc
  .record({
    event: fc.oneof(knownEvent, fc.constant('fuzz-unknown')),
    withAck,
    spec: fc
      .record({
        nested: fc.constantFrom(100, 1000, 10_000, 20_000),
        shape: fc.constantFrom('array' as const, 'object' as const),
        asString: fc.boolean(),
      })
      .map(({ nested, shape, asString }) => ({
        // Objects cost 6 bytes a level: keep them under the packet size limit.
        nested: shape === 'object' ? Math.min(nested, 8000) : nested,
        shape,
        asString,
      })),
  })
  .map(
    ({ event, withAck, spec }): FuzzCase => ({
      kind: 'event',
      family: 'deep-nesting',
      event,
      args: [spec],
      withAck,
    }),
  );

/** Large strings and binaries that still fit in one packet (≤ 48 KiB). */
const large = eventCase(
  'large',
  fc.oneof(knownEvent, fc.constant('fuzz-unknown')),
  fc.oneof(
    fc
      .record({
        repeat: fc.constantFrom('x', 'é', '"', '\\'),
        length: fc.integer({ min: 4001, max: 12_000 }),
      })
      .map((spec): PayloadSpec => spec),
    fc.integer({ min: 9613, max: 48 * 1024 }).map((zeroBytes): PayloadSpec => ({ zeroBytes })),
  ),
);

/** Payloads of 256 KiB to 4 MiB: beyond `maxHttpBufferSize`, Socket.IO closes the connection. */
const huge = eventCase(
  'huge',
  fc.oneof(knownEvent, fc.constant('fuzz-unknown')),
  fc.oneof(
    fc
      .integer({ min: 256 * 1024, max: 4 * 1024 * 1024 })
      .map((length): PayloadSpec => ({ repeat: 'x', length })),
    fc.integer({ min: 256 * 1024, max: 2 * 1024 * 1024 }).map((zeroBytes): PayloadSpec => ({ zeroBytes })),
  ),
);

/**
 * Engine.io messages that are not the Socket.IO packets a client library would send, each with
 * what Socket.IO's parser does with it: `closes` (it cannot decode it: the connection is
 * closed), `ignored` (an ack nobody waits for), or
 * `empty-event` (an event packet without arguments: it reaches our handler with no event name).
 */
const garbagePacket: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.string({ maxLength: 60 }).map((text) => ({ packet: `x${text}`, fate: 'closes' as const })),
    fc.string({ maxLength: 60 }).map((text) => ({ packet: `9${text}`, fate: 'closes' as const })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((packet) => ({ packet, fate: 'closes' as const })),
    fc.constantFrom<{ packet: string; fate: PacketFate }>(
      { packet: '2/voice,{"a":1}', fate: 'closes' },
      { packet: '2/voice,[]', fate: 'closes' },
      { packet: '2/voice,["text",', fate: 'closes' },
      { packet: '2/voice,"text"', fate: 'closes' },
      { packet: '2/voice,["disconnect"]', fate: 'closes' },
      { packet: '2/voice,[null,1]', fate: 'closes' },
      { packet: '51-/voice,["audio",{"_placeholder":true,"num":5}]', fate: 'closes' },
      { packet: `2/voice,["text",${'['.repeat(5000)}`, fate: 'closes' },
      // A second CONNECT on a joined namespace would be a second session on one connection.
      { packet: '0/voice,{"token":"good"}', fate: 'closes' },
      { packet: '2/voice,', fate: 'empty-event' },
      { packet: '2/other,["text",{"text":"hi"}]', fate: 'closes' },
      { packet: '3/voice,987654[]', fate: 'ignored' },
    ),
  )
  .map(({ packet, fate }): FuzzCase => ({ kind: 'packet', family: 'garbage-packet', packet, fate }));

/**
 * Compact audio messages (revision 3): mostly to `/voice` with a good or broken frame, some to
 * another namespace (Socket.IO closes the connection), some cut short (the parser refuses them).
 */
const compactAudio: fc.Arbitrary<FuzzCase> = fc
  .record({
    namespace: fc.oneof(
      { weight: 8, arbitrary: fc.constant('/voice') },
      fc.constantFrom('/', '/other', '', '/voice/', '/VOICE'),
      fc.string({ maxLength: 20 }),
    ),
    frame,
    isCut: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
  })
  .map((spec): FuzzCase => ({ kind: 'compact', family: 'compact-audio', ...spec }));

const reservedEvent = eventCase(
  'reserved-event',
  fc.constantFrom(...SOCKET_IO_RESERVED_EVENTS),
  smallPayload,
);

/** Any one message a fuzzing client may send. Connection-closing kinds are kept rare. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 24, arbitrary: protocolOrder },
  { weight: 16, arbitrary: wrongType },
  { weight: 12, arbitrary: unknownEvent },
  { weight: 16, arbitrary: binaryJunk },
  { weight: 8, arbitrary: malformedJson },
  { weight: 4, arbitrary: deepNesting },
  { weight: 6, arbitrary: large },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: garbagePacket },
  { weight: 1, arbitrary: reservedEvent },
  { weight: 12, arbitrary: compactAudio },
);

/** One fuzzing socket's life. */
export const fuzzRun: fc.Arbitrary<FuzzRun> = fc.record({
  beforeReady: fc.boolean(),
  cases: fc.array(fuzzCase, { minLength: 1, maxLength: 24 }),
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
