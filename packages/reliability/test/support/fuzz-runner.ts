import type { ErrorMessage } from '@voxduplex/transport-socketio';
import type { Socket } from 'socket.io-client';
import type { CountedProviders } from './counted-providers';
import {
  compactBytes,
  type FuzzCase,
  type FuzzFamily,
  type FuzzRun,
  materialize,
  RawJson,
  SOCKET_IO_RESERVED_EVENTS,
} from './fuzz-cases';
import { type Expectation, type OracleLimits, ProtocolOracle } from './protocol-oracle';
import { collectErrors, connectOutcome, nextEvent, rawClient, waitFor } from './raw-client';

/** Totals over every fuzzing socket, for the assertions at the end and the results file. */
export class FuzzTally {
  runs = 0;
  cases = 0;
  /** Errors the oracle predicted, all received. */
  expectedErrors = 0;
  /** Sentinel messages (one `unknown_event` each) used to know a socket's replies are all in. */
  sentinels = 0;
  closedConnections = 0;
  readonly byFamily = new Map<FuzzFamily, number>();

  count(fuzzCase: FuzzCase): void {
    this.cases++;
    this.byFamily.set(fuzzCase.family, (this.byFamily.get(fuzzCase.family) ?? 0) + 1);
  }
}

export interface FuzzTarget {
  readonly url: string;
  readonly limits: OracleLimits;
  /** The providers fuzzing sessions get: their recognizer counts the frames it was given. */
  readonly providers: CountedProviders;
}

/**
 * Plays one {@link FuzzRun} on a fresh raw socket and checks the server's answers against the
 * {@link ProtocolOracle}: exactly the predicted typed errors (multiset: errors for messages
 * held until `ready` come later than parse errors), every error in the wire shape, exactly the
 * accepted frames reaching the recognizer, one user turn per accepted text, and a closed
 * connection exactly when Socket.IO's own rules say so. Throws with the details otherwise.
 */
export async function playFuzzRun(target: FuzzTarget, run: FuzzRun, tally: FuzzTally): Promise<void> {
  const socket = rawClient(target.url, { token: 'good', user: 'fuzzer' });
  try {
    await playOn(socket, target, run, tally);
  } finally {
    socket.disconnect();
  }
}

async function playOn(socket: Socket, target: FuzzTarget, run: FuzzRun, tally: FuzzTally): Promise<void> {
  tally.runs++;
  const log = collectErrors(socket);
  const ready = nextEvent(socket, 'ready');
  let userTurns = 0;
  socket.on('user-turn', () => userTurns++);
  const disconnected = nextEvent<string | unknown[]>(socket, 'disconnect', 10_000);
  disconnected.catch(() => {}); // only awaited when a case must close the connection
  const outcome = await connectOutcome(socket);
  if (outcome !== 'connected') throw new Error(`fuzzer refused: ${outcome.message}`);
  if (!run.beforeReady) await ready;

  const oracle = new ProtocolOracle(target.limits);
  const stt = target.providers.fakes.stt;
  const framesBefore = stt.framesReceived;
  const expected: Expectation[] = [];
  const trace: string[] = [];
  const sentinel = async () => {
    const event = `fuzz-sentinel-${tally.sentinels++}`;
    socket.emit(event);
    await waitFor(() => log.errors.some((e) => e.event === event), `the error for ${event}`);
  };
  let hasClosed = false;
  for (const fuzzCase of run.cases) {
    const args = argsOf(fuzzCase);
    const expectation = oracle.expect(fuzzCase, args);
    tally.count(fuzzCase);
    if (expectation.outcome === 'closes') {
      // Everything before it must have been answered first: a closed socket hears nothing more.
      await ready;
      await sentinel();
      send(socket, fuzzCase, args);
      // Some packets only fail once the next one arrives (a binary packet missing its attachment).
      socket.emit('fuzz-after-close');
      const [reason] = [await disconnected].flat();
      if (reason === 'io client disconnect') throw new Error('the fuzzer closed its own socket');
      hasClosed = true;
      tally.closedConnections++;
      break;
    }
    expected.push(expectation);
    trace.push(
      `${fuzzCase.kind === 'event' ? String(fuzzCase.event) : fuzzCase.kind} → ${JSON.stringify(expectation)}`,
    );
    send(socket, fuzzCase, args);
  }
  if (!hasClosed) {
    await ready;
    await sentinel();
    if (!socket.connected)
      throw new Error('the server closed a connection that sent nothing Socket.IO refuses');
  }

  const isSentinel = (e: ErrorMessage) => e.event?.startsWith('fuzz-sentinel-') === true;
  const got = log.errors.filter((e) => !isSentinel(e)).map(describeError);
  const want = expected.flatMap((e) =>
    e.outcome === 'error' ? [describeError({ event: e.event, reason: e.reason, speechId: e.speechId })] : [],
  );
  tally.expectedErrors += want.length;
  if (log.malformed.length > 0)
    throw new Error(`error events outside the wire shape: ${JSON.stringify(log.malformed).slice(0, 500)}`);
  if (JSON.stringify([...got].sort()) !== JSON.stringify([...want].sort()))
    throw new Error(
      `errors differ from the protocol:\n  got  ${got.join(' | ')}\n  want ${want.join(' | ')}\n  ${trace.join('\n  ')}`,
    );

  const acceptedFrames = expected.filter((e) => e.outcome === 'accepted' && e.effect === 'audio').length;
  const framesReceived = stt.framesReceived - framesBefore;
  if (framesReceived !== acceptedFrames)
    throw new Error(`${acceptedFrames} frames accepted, the recognizer got ${framesReceived}`);
  const acceptedTexts = expected.filter((e) => e.outcome === 'accepted' && e.effect === 'text').length;
  if (!hasClosed) await waitFor(() => userTurns >= acceptedTexts, `${acceptedTexts} user turn(s)`);
}

/** The built payloads of a case: an event's arguments, or a compact message's mic frame. */
function argsOf(fuzzCase: FuzzCase): unknown[] {
  if (fuzzCase.kind === 'event') return fuzzCase.args.map(materialize);
  if (fuzzCase.kind === 'compact') return [materialize({ frame: fuzzCase.frame })];
  return [];
}

function describeError(e: Pick<ErrorMessage, 'event' | 'reason' | 'speechId'>): string {
  return JSON.stringify([e.event, e.reason, e.speechId ?? null]);
}

/** Sends a case the way an attacker would: through the client library, or as a raw packet. */
function send(socket: Socket, fuzzCase: FuzzCase, args: readonly unknown[]): void {
  const engine = socket.io.engine;
  if (fuzzCase.kind === 'packet') {
    engine.send(fuzzCase.packet);
    return;
  }
  if (fuzzCase.kind === 'compact') {
    engine.send(compactBytes(fuzzCase.namespace, fuzzCase.frame, fuzzCase.isCut));
    return;
  }
  const { event, withAck } = fuzzCase;
  const raw = args.find((arg): arg is RawJson => arg instanceof RawJson);
  if (raw) {
    engine.send(`2/voice,[${JSON.stringify(event)},${raw.text}]`);
    return;
  }
  const ack = withAck ? [() => {}] : [];
  if ((SOCKET_IO_RESERVED_EVENTS as readonly unknown[]).includes(event)) {
    // The client library refuses these names; its packet() writes them anyway.
    const packet = { type: 2, data: [event, ...args], options: { compress: true } };
    (socket as unknown as { packet(packet: object): void }).packet(packet);
    return;
  }
  (socket.emit as (event: unknown, ...args: unknown[]) => void)(event, ...args, ...ack);
}
