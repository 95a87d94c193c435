import { silentLogger } from '@voxduplex/core';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConnectRefusal,
  MemorySessionStore,
  type ReadyMessage,
  type SessionStore,
  type SpeechEndMessage,
} from '../src/index';
import { issueResumeToken, sha256 } from '../src/server/resume-token';
import { nextEvent, rawClient, startTestServer, type TestServer, waitFor } from './harness';

// Two servers sharing one store stand for two processes of a cluster: what one saved, the
// other restores. (examples/cluster proves the same with real processes and Redis.)
const servers: TestServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}) {
  const started = await startTestServer({
    // Short enough that a server looks at the store every second (a third of the window).
    resumeWindowMs: 3000,
    llm: {
      reply: (request) =>
        `I heard: ${request.messages
          .filter((m) => m.role === 'user')
          .map((m) => m.content)
          .join(' / ')}`,
    },
    ...options,
    server: { logger: silentLogger, ...options.server },
  });
  servers.push(started);
  return started;
}

function connect(url: string, auth: Record<string, unknown> = {}) {
  const socket = rawClient(url, { token: 'good', ...auth });
  sockets.push(socket);
  return socket;
}

/** Sends a typed turn, acks the reply as a player would, and resolves with what was said. */
async function turn(socket: Socket, text: string): Promise<SpeechEndMessage> {
  const onAudio = (
    header: { speechId: string; offsetMs: number; durationMs: number },
    _pcm: unknown,
    ack: () => void,
  ) => {
    ack();
    socket.emit('playback-ack', { speechId: header.speechId, playedMs: header.offsetMs + header.durationMs });
  };
  socket.on('agent-audio', onAudio);
  const ended = nextEvent<SpeechEndMessage>(socket, 'speech-end');
  socket.emit('text', { text });
  try {
    return await ended;
  } finally {
    socket.off('agent-audio', onAudio);
  }
}

/** Connects to `target`, finishes a turn saying `said` (if given), and drops; resolves with its `ready`. */
async function dropAfterTurn(target: TestServer, said?: string): Promise<ReadyMessage> {
  const socket = connect(target.url);
  const ready = await nextEvent<ReadyMessage>(socket, 'ready');
  if (said !== undefined) await turn(socket, said);
  target.dropConnections();
  await waitFor(() => target.agent.stats().suspendedSessions === 1, 'the drop');
  return ready;
}

async function refusalOf(socket: Socket): Promise<ConnectRefusal> {
  return (await nextEvent<Error & { data: ConnectRefusal }>(socket, 'connect_error')).data;
}

/** A store passing every call to `target()` (which a test may swap), showing it each snapshot saved. */
function storeOver(
  target: () => MemorySessionStore,
  onSave: (snapshot: string) => void = () => {},
): SessionStore {
  return {
    save: (recordId, record, ttlMs) => {
      onSave(record.snapshot);
      return target().save(recordId, record, ttlMs);
    },
    take: (...args) => target().take(...args),
    touch: (...args) => target().touch(...args),
    delete: (...args) => target().delete(...args),
  };
}

/** A store whose calls never answer (a Redis that hangs). */
const hangingStore: SessionStore = {
  save: () => new Promise(() => {}),
  take: () => new Promise(() => {}),
  touch: () => new Promise(() => {}),
  delete: () => new Promise(() => {}),
};

describe('resuming on another server that shares the session store', () => {
  it('a dropped client resumes on the other server with its history, and its next turn is answered there', async () => {
    const store = new MemorySessionStore();
    const first = await server({ server: { sessionStore: store } });
    const second = await server({ server: { sessionStore: store } });
    const ready = await dropAfterTurn(first, 'My name is Ada.');

    const back = connect(second.url, { resumeToken: ready.resumeToken });
    const resumed = await nextEvent<ReadyMessage>(back, 'ready');
    expect(resumed).toMatchObject({ sessionId: ready.sessionId, resumed: true, restored: 'drop' });
    expect((await turn(back, 'What is my name?')).text).toBe('I heard: My name is Ada. / What is my name?');
    expect(second.llm.requests).toHaveLength(1);
    expect(second.agent.stats()).toMatchObject({ sessions: 1, resumedSessions: 1, restoredSessions: 1 });

    // The first server lets its suspended copy go at its next look at the store.
    await waitFor(() => first.agent.stats().sessions === 0, 'the first server to close its copy');
    expect(first.openStreams()).toBe(0);
    back.disconnect();
    await waitFor(() => store.size === 0, 'the record deleted when the session closed');
  });

  it('refuses a replayed token on every server, and another identity’s token, which stays valid', async () => {
    const store = new MemorySessionStore();
    const first = await server({ server: { sessionStore: store } });
    const second = await server({ server: { sessionStore: store } });
    const alice = connect(first.url);
    const ready = await nextEvent<ReadyMessage>(alice, 'ready');
    first.dropConnections();

    const mallory = connect(second.url, { user: 'mallory', resumeToken: ready.resumeToken });
    expect(await refusalOf(mallory)).toMatchObject({ reason: 'resume_refused', detail: 'resume_unknown' });
    const back = connect(second.url, { resumeToken: ready.resumeToken });
    expect(await nextEvent<ReadyMessage>(back, 'ready')).toMatchObject({ resumed: true });
    for (const target of [first, second]) {
      const replay = connect(target.url, { resumeToken: ready.resumeToken });
      expect(await refusalOf(replay)).toMatchObject({ reason: 'resume_refused', detail: 'resume_unknown' });
    }
  });

  it('seals snapshots with the app key: the store holds no conversation text, a server without the key cannot resume', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const saved: string[] = [];
    const memory = new MemorySessionStore();
    const store = storeOver(
      () => memory,
      (snapshot) => saved.push(snapshot),
    );
    const first = await server({ server: { sessionStore: store, snapshotKey: key } });
    const keyless = await server({ server: { sessionStore: store } });
    const ready = await dropAfterTurn(first, 'My secret is swordfish.');
    expect(saved.length).toBeGreaterThanOrEqual(3);
    for (const snapshot of saved) expect(snapshot).not.toContain('swordfish');

    const refused = connect(keyless.url, { resumeToken: ready.resumeToken });
    expect(await refusalOf(refused)).toMatchObject({ reason: 'resume_refused', detail: 'resume_unknown' });
  });

  it('a server with a rotated key list opens what the old key sealed', async () => {
    const store = new MemorySessionStore();
    const oldKey = Buffer.alloc(32, 7);
    const first = await server({ server: { sessionStore: store, snapshotKey: oldKey } });
    const second = await server({
      server: { sessionStore: store, snapshotKey: [Buffer.alloc(32, 9), oldKey] },
    });
    const ready = await dropAfterTurn(first, 'Remember 42.');
    const back = connect(second.url, { resumeToken: ready.resumeToken });
    expect(await nextEvent<ReadyMessage>(back, 'ready')).toMatchObject({ restored: 'drop' });
    expect((await turn(back, 'Which number?')).text).toBe('I heard: Remember 42. / Which number?');
  });

  it('refuses a snapshot of another format with snapshot_incompatible', async () => {
    const store = new MemorySessionStore();
    const target = await server({ server: { sessionStore: store } });
    const recordId = 'A'.repeat(22);
    const { token, tokenHash } = issueResumeToken(recordId);
    const future = JSON.stringify({ version: 2, protocol: 1, sessionId: 's', history: [] });
    await store.save(
      recordId,
      { tokenHash, ownerHash: sha256('alice'), holder: 'gone', snapshot: future },
      10_000,
    );
    const client = connect(target.url, { resumeToken: token });
    expect(await refusalOf(client)).toMatchObject({
      reason: 'resume_refused',
      detail: 'snapshot_incompatible',
    });
  });

  it('an app that does not rebuild the session gives the client a new one, and says so', async () => {
    const store = new MemorySessionStore();
    const first = await server({ server: { sessionStore: store } });
    const second = await server({ server: { sessionStore: store }, ignoreRestored: true });
    const ready = await dropAfterTurn(first);
    const back = connect(second.url, { resumeToken: ready.resumeToken });
    const fresh = await nextEvent<ReadyMessage>(back, 'ready');
    expect(fresh.resumed).toBe(false);
    expect(fresh.sessionId).not.toBe(ready.sessionId);
  });
});

describe('handing sessions off (a deploy)', () => {
  it('every client resumes on the other server with its history; new clients are sent elsewhere', async () => {
    const store = new MemorySessionStore();
    const old = await server({ server: { sessionStore: store } });
    const next = await server({ server: { sessionStore: store } });
    const alice = connect(old.url);
    const ready = await nextEvent<ReadyMessage>(alice, 'ready');
    await turn(alice, 'My name is Ada.');
    const cut = nextEvent<[string, unknown]>(alice, 'disconnect');
    let toldClosed = false;
    alice.on('closed' as never, () => {
      toldClosed = true;
    });
    await old.agent.handOff();
    expect((await cut)[0]).toBe('transport close');
    expect(toldClosed).toBe(false);
    expect(old.agent.stats()).toMatchObject({ sessions: 0 });
    expect(old.openStreams()).toBe(0);

    const back = connect(next.url, { resumeToken: ready.resumeToken });
    expect(await nextEvent<ReadyMessage>(back, 'ready')).toMatchObject({ resumed: true, restored: 'drop' });
    expect((await turn(back, 'What is my name?')).text).toBe('I heard: My name is Ada. / What is my name?');

    // Cut at the transport, as a drop: a client with reconnection on tries again (elsewhere).
    const late = connect(old.url);
    expect((await nextEvent<[string, unknown]>(late.io, 'close'))[0]).toBe('transport close');
    expect(old.agent.stats().sessions).toBe(0);
  });
});

describe('a session store that lost its records', () => {
  it("writes the connected sessions' records again (a Redis restarted empty)", async () => {
    let memory = new MemorySessionStore();
    const store = storeOver(() => memory);
    const first = await server({ resumeWindowMs: 600, server: { sessionStore: store } });
    const second = await server({ resumeWindowMs: 600, server: { sessionStore: store } });
    const alice = connect(first.url);
    const ready = await nextEvent<ReadyMessage>(alice, 'ready');
    await turn(alice, 'Remember 42.');
    memory = new MemorySessionStore();
    await waitFor(() => memory.size === 1, 'the record written again');
    first.dropConnections();
    await waitFor(() => first.agent.stats().suspendedSessions === 1, 'the drop');
    const back = connect(second.url, { resumeToken: ready.resumeToken });
    expect(await nextEvent<ReadyMessage>(back, 'ready')).toMatchObject({ resumed: true, restored: 'drop' });
    expect((await turn(back, 'Which number?')).text).toBe('I heard: Remember 42. / Which number?');
  });
});

describe('a session store that does not answer', () => {
  it('new sessions start, live ones carry on, a resume here works, a resume elsewhere is refused resume_unavailable', async () => {
    const first = await server({ server: { sessionStore: hangingStore, storeTimeoutMs: 100 } });
    const second = await server({ server: { sessionStore: hangingStore, storeTimeoutMs: 100 } });
    const alice = connect(first.url);
    const ready = await nextEvent<ReadyMessage>(alice, 'ready');
    expect((await turn(alice, 'Hello.')).text).toBe('I heard: Hello.');
    first.dropConnections();
    await waitFor(() => first.agent.stats().suspendedSessions === 1, 'the drop');

    const elsewhere = connect(second.url, { resumeToken: ready.resumeToken });
    expect(await refusalOf(elsewhere)).toMatchObject({
      reason: 'resume_refused',
      detail: 'resume_unavailable',
    });
    const here = connect(first.url, { resumeToken: ready.resumeToken });
    expect(await nextEvent<ReadyMessage>(here, 'ready')).toMatchObject({
      resumed: true,
      sessionId: ready.sessionId,
    });
    expect((await turn(here, 'Still there?')).text).toBe('I heard: Hello. / Still there?');
    // The token was spent here: without the store, still only once.
    const replay = connect(first.url, { resumeToken: ready.resumeToken });
    expect(await refusalOf(replay)).toMatchObject({ reason: 'resume_refused' });
  });
});

describe('a session store that fails the delete when a session closes', () => {
  it('the delete is sent again at the next look at the store: the last token is then refused, never resumed', async () => {
    const memory = new MemorySessionStore();
    let deletesTried = 0;
    let deletesDone = 0;
    const store: SessionStore = {
      ...storeOver(() => memory),
      delete: async (...args) => {
        if (++deletesTried === 1) throw new Error('connection lost');
        await memory.delete(...args);
        deletesDone++;
      },
    };
    const first = await server({ server: { sessionStore: store } });
    const second = await server({ server: { sessionStore: store } });
    const alice = connect(first.url);
    const ready = await nextEvent<ReadyMessage>(alice, 'ready');
    await turn(alice, 'My PIN is 1234.');
    alice.disconnect();
    await waitFor(() => deletesDone === 1, 'the delete sent again');

    // Well inside the 3 s resume window: the record is gone because it was deleted, not expired.
    expect(memory.size).toBe(0);
    const back = connect(second.url, { resumeToken: ready.resumeToken });
    expect(await refusalOf(back)).toMatchObject({ reason: 'resume_refused', detail: 'resume_unknown' });
  });
});
