// The rule this file proves: a client is told a turn ended only once the turn's checkpoint is in
// the store, or after `storeTimeoutMs` if the store does not answer — so a process killed the
// instant after `speech-end` left never costs the client that turn. The same holds for `ready`
// and the resume token it carries. Virtual time throughout.
import { createVoiceSession, silentLogger, type VoiceSession } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { asyncScheduler } from 'rxjs';
import type { Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReadyMessage } from '../protocol/server-messages';
import { resolveTransportLimits } from './limits';
import { MemorySessionStore } from './memory-session-store';
import { parseResumeToken, sha256 } from './resume-token';
import { SessionKeeper } from './session-keeper';
import { type LinkHost, SessionLink } from './session-link';
import { SnapshotCodec } from './session-snapshot';
import type { StoredSession } from './session-store';

const STORE_TIMEOUT_MS = 1000;

/** A memory store whose saves can be held open: `hold()`, then each save waits for `letGo()`. */
class HeldStore extends MemorySessionStore {
  #isHolding = false;
  readonly #held: (() => void)[] = [];

  /** Saves not answered yet. */
  get heldSaves(): number {
    return this.#held.length;
  }

  hold(): void {
    this.#isHolding = true;
  }

  /** Answers the held saves (they are written now) and stops holding. */
  letGo(): void {
    this.#isHolding = false;
    for (const answer of this.#held.splice(0)) answer();
  }

  override save(recordId: string, record: StoredSession, ttlMs: number): Promise<'saved' | 'superseded'> {
    if (!this.#isHolding) return super.save(recordId, record, ttlMs);
    return new Promise((resolve) => this.#held.push(() => resolve(super.save(recordId, record, ttlMs))));
  }
}

/** The server's end of a connection, recording what it emits; agent audio is acked on receipt. */
function recordingSocket() {
  const emitted: { event: string; payload: unknown }[] = [];
  const socket = {
    connected: true,
    emit(event: string, ...args: unknown[]) {
      emitted.push({ event, payload: args[0] });
      const ack = args.at(-1);
      if (typeof ack === 'function') ack();
      return true;
    },
    disconnect() {
      socket.connected = false;
    },
    conn: { close() {} },
  };
  return { socket: socket as unknown as Socket, emitted };
}

let sessions: VoiceSession[];
let keepers: SessionKeeper<SessionLink>[];
beforeEach(() => {
  vi.useFakeTimers();
  sessions = [];
  keepers = [];
});
afterEach(async () => {
  for (const session of sessions) session.close();
  for (const keeper of keepers) keeper.close();
  await vi.runOnlyPendingTimersAsync();
  // Sessions, keepers and the gates of their links leave no timer behind.
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

/** A link with a recording socket attached; `isStoreHeld`: the store holds saves from the start. */
function link({ isStoreHeld = false } = {}) {
  const session = createVoiceSession({
    stt: new FakeStt(),
    llm: new FakeLlm({ reply: 'Hello there.' }),
    tts: new FakeTts(),
    turnDetection: { minEndpointDelayMs: 0 },
    // Its clock reads `Date.now()`, which the fake timers drive (the default reads the real
    // `performance.now()`).
    scheduler: asyncScheduler,
  });
  sessions.push(session);
  const store = new HeldStore();
  const codec = new SnapshotCodec();
  const keeper = new SessionKeeper<SessionLink>({
    store,
    codec,
    ttlMs: 30_000,
    timeoutMs: STORE_TIMEOUT_MS,
    logger: silentLogger,
  });
  keepers.push(keeper);
  const host: LinkHost = {
    limits: resolveTransportLimits(),
    inputSampleRate: 16_000,
    resumeWindowMs: 30_000,
    compactAudio: false,
    keeper,
    snapshotMetadata: () => ({}),
    onRejected: () => {},
    onDropped: () => {},
    onClosed: () => {},
    onSessionError: () => {},
  };
  const bound = new SessionLink(session, 'alice', host, keeper.newRecord(sha256('alice')));
  const { socket, emitted } = recordingSocket();
  if (isStoreHeld) store.hold();
  bound.attach(socket, 'new');
  /** The `ready` the client got, if any. */
  const ready = () => emitted.find((e) => e.event === 'ready')?.payload as ReadyMessage | undefined;
  /** How many turn ends the client was told of. */
  const turnEnds = () => emitted.filter((e) => e.event === 'speech-end').length;
  /**
   * What a node taking over with the client's token would get (spends the token): the history,
   * or `unknown` if the store does not know the token.
   */
  const storedHistory = async () => {
    const { recordId, tokenHash } = parseResumeToken(ready()!.resumeToken)!;
    const taken = await store.take(recordId, tokenHash, sha256('alice'), 'another-node');
    if (taken.status !== 'taken') return 'unknown';
    const snapshot = codec.decode(taken.snapshot, `${recordId}:${sha256('alice')}`);
    return 'problem' in snapshot ? snapshot.problem : snapshot.history.map((m) => m.content);
  };
  return { session, store, ready, turnEnds, storedHistory };
}

/** A link whose `ready` went out (its token stored), the store then held. */
async function readyLink() {
  const parts = link();
  await vi.advanceTimersByTimeAsync(0);
  expect(parts.ready()).toBeDefined();
  parts.store.hold();
  return parts;
}

/**
 * Starts a turn and runs virtual time to the moment the session ends its speech (its audio was
 * sent, and its playout estimate ran out); resolves with that moment, ms.
 */
async function turnUntilSpeechEnds(session: VoiceSession, text = 'Hi, I am Ada.'): Promise<number> {
  let endedAtMs: number | undefined;
  session.once('speech-end', () => {
    endedAtMs = Date.now();
  });
  session.sendText(text);
  // Stops at the step where the speech ended: the rest is run from `endedAtMs` on.
  for (let step = 0; step < 10_000 && endedAtMs === undefined; step++) await vi.advanceTimersByTimeAsync(1);
  expect(endedAtMs).toBeDefined();
  return endedAtMs!;
}

/** Runs virtual time up to `endedAtMs + ms`. */
const runUntil = (endedAtMs: number, ms: number) => vi.advanceTimersByTimeAsync(endedAtMs + ms - Date.now());

describe('SessionLink: a turn ends for the client once its checkpoint is stored', () => {
  it('the client sees speech-end only once the store holds the finished turn', async () => {
    const { session, store, turnEnds, storedHistory } = await readyLink();
    const endedAtMs = await turnUntilSpeechEnds(session);
    expect(store.heldSaves).toBe(1);
    await runUntil(endedAtMs, STORE_TIMEOUT_MS - 1);
    expect(turnEnds()).toBe(0);
    store.letGo();
    await vi.advanceTimersByTimeAsync(0);
    expect(turnEnds()).toBe(1);
    // What a node would restore if this one died now: the turn the client saw end.
    expect(await storedHistory()).toEqual(['Hi, I am Ada.', 'Hello there.']);
  });

  it('a save that hangs holds the turn end for storeTimeoutMs, then the client gets it and the session goes on', async () => {
    const { session, store, turnEnds } = await readyLink();
    const endedAtMs = await turnUntilSpeechEnds(session);
    await runUntil(endedAtMs, STORE_TIMEOUT_MS - 1);
    expect(turnEnds()).toBe(0);
    await runUntil(endedAtMs, STORE_TIMEOUT_MS);
    expect(turnEnds()).toBe(1);
    expect(store.heldSaves).toBe(1);
    expect(session.state.agent).toBe('listening');
  });

  it('once a store call timed out, turn ends are not held until the store answers again', async () => {
    const { session, turnEnds } = await readyLink();
    await runUntil(await turnUntilSpeechEnds(session), STORE_TIMEOUT_MS);
    expect(turnEnds()).toBe(1);
    await turnUntilSpeechEnds(session, 'And again.');
    expect(turnEnds()).toBe(2);
  });

  it('the client gets ready, with its resume token, only once the store knows the token', async () => {
    const { store, ready, storedHistory } = link({ isStoreHeld: true });
    await vi.advanceTimersByTimeAsync(STORE_TIMEOUT_MS - 1);
    expect(ready()).toBeUndefined();
    store.letGo();
    await vi.advanceTimersByTimeAsync(0);
    expect(ready()).toMatchObject({ resumed: false });
    expect(await storedHistory()).toEqual([]);
  });

  it('a token save that hangs holds ready for storeTimeoutMs, then the client gets it', async () => {
    const { ready } = link({ isStoreHeld: true });
    await vi.advanceTimersByTimeAsync(STORE_TIMEOUT_MS - 1);
    expect(ready()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(ready()).toBeDefined();
  });
});
