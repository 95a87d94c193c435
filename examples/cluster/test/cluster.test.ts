import { type RunningRedis, startRedis } from '@voxduplex/test-support';
import {
  type ConnectRefusal,
  connectVoiceAgent,
  type ReadyMessage,
  type VoiceAgentClient,
  type VoiceAgentClientOptions,
} from '@voxduplex/transport-socketio/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { ClusterHealth, WorkerReport } from '../src/cluster-health';
import { isRunning, nextEvent, turn, within } from './cluster-clients';
import { type RunningCluster, startCluster } from './cluster-process';
import { type DropProxy, startDropProxy } from './drop-proxy';
import { savedInRedis, sessionRecordsLeft } from './redis-records';

let redis: RunningRedis | undefined;
let cluster: RunningCluster | undefined;
const clients: VoiceAgentClient[] = [];
const proxies = new Map<VoiceAgentClient, DropProxy>();

beforeAll(async () => {
  redis = await startRedis();
  // No respawn: the dead worker's clients can only go to the one that is left. A 3 s resume
  // window: each worker looks at Redis every second (a third of it). Identities from
  // `auth.user`, so a test can be two people.
  cluster = await startCluster({
    REDIS_URL: redis.url,
    VOX_WORKERS: '2',
    VOX_FAKES: '1',
    VOX_RESPAWN: '0',
    VOX_RESUME_WINDOW_MS: '3000',
    VOX_DEMO_IDENTITY_FROM_AUTH: '1',
  });
}, 120_000);
beforeEach(() => {
  // What the primary and the workers printed (refusals with their reasons) explains a failure.
  onTestFailed(() =>
    console.error(`cluster output (last 6000 characters):\n${cluster?.output().slice(-6000)}`),
  );
});
afterEach(async () => {
  // A test that failed with Redis stopped would take the next ones down with it.
  if (redis && (redis.process.exitCode !== null || redis.process.signalCode !== null))
    redis = await startRedis({ port: redis.port });
  for (const client of clients.splice(0)) client.close();
  await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
  proxies.clear();
});
afterAll(() => {
  cluster?.stop();
  redis?.stop();
});

/**
 * Connects a client through its own TCP proxy (so the test can cut its network) and waits for
 * its session. One at a time, so least-connection routing alternates between the workers.
 */
async function connectReady(options: VoiceAgentClientOptions = {}): Promise<VoiceAgentClient> {
  const proxy = await startDropProxy(cluster!.url);
  const client = connectVoiceAgent(`${proxy.url}/voice`, {
    reconnectionDelayMs: 100,
    reconnectionDelayMaxMs: 500,
    ...options,
  });
  client.on('ready', (ready) => lastReady.set(client, ready));
  clients.push(client);
  proxies.set(client, proxy);
  await within(nextEvent(client, 'ready'), 'a session');
  return client;
}

const lastReady = new Map<VoiceAgentClient, ReadyMessage>();
/** The resume token the client would spend on its next reconnection. */
const currentToken = (client: VoiceAgentClient) => lastReady.get(client)!.resumeToken;

/** Cuts the client's connection as a network failure would; it reconnects by itself. */
const dropConnection = (client: VoiceAgentClient) => proxies.get(client)!.drop();

/** Polls `/health` until `condition` holds (a bound on waiting, not a timing claim). */
async function healthWhen(
  condition: (health: ClusterHealth) => boolean,
  what: string,
): Promise<ClusterHealth> {
  const deadline = Date.now() + 20_000;
  let health = await cluster!.health();
  while (!condition(health)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last /health: ${JSON.stringify(health, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    health = await cluster!.health();
  }
  return health;
}

const workerOf = (health: ClusterHealth, client: VoiceAgentClient): WorkerReport =>
  health.workers.find((worker) => worker.sessionIds.includes(client.sessionId!))!;
// No Engine.IO connection left either: the primary's least-connection routing then starts even.
const isIdle = (worker: WorkerReport) =>
  worker.stats.sessions === 0 &&
  worker.stats.connectedSockets === 0 &&
  worker.openProviderStreams === 0 &&
  worker.engineConnections === 0;
const allIdle = () => healthWhen((h) => h.workers.every(isIdle), 'every worker to release everything');

/**
 * Two clients on one worker (`home`) and none on the other (`away`): a client dropped from
 * `home` then reconnects to `away`, the worker with fewer connections.
 */
async function twoOnOneWorker() {
  await allIdle();
  const three = [await connectReady(), await connectReady(), await connectReady()];
  const health = await healthWhen(
    (h) => h.workers.length === 2 && three.every((client) => workerOf(h, client)),
    'three sessions',
  );
  const home = health.workers.find((w) => three.filter((c) => workerOf(health, c) === w).length === 2)!;
  const away = health.workers.find((w) => w !== home)!;
  const [traveller, companion] = three.filter((client) => workerOf(health, client) === home) as [
    VoiceAgentClient,
    VoiceAgentClient,
  ];
  for (const client of three) if (workerOf(health, client) === away) client.close();
  // Counted as the primary counts: its Engine.IO connection, not only its socket, must be gone.
  await healthWhen(
    (h) => h.workers.find((w) => w.pid === away.pid)?.engineConnections === 0,
    'no connection on the other worker',
  );
  return { traveller, companion, home: home.pid, away: away.pid };
}

/** Every session closed: none of their records is in Redis, and none was left to expire. */
async function expectNoSessionRecords(): Promise<void> {
  expect(await sessionRecordsLeft(redis!.url)).toEqual({ records: 0, expired: 0 });
}

/** A client whose first handshake carries `resumeToken` (a replay), and none after; `auth` in every one. */
function connectWithToken(resumeToken: string, auth: Record<string, unknown> = {}): VoiceAgentClient {
  let isFirst = true;
  const client = connectVoiceAgent(`${cluster!.url}/voice`, {
    reconnectionDelayMs: 100,
    auth: () => {
      const handshake = isFirst ? { ...auth, resumeToken } : auth;
      isFirst = false;
      return handshake;
    },
  });
  clients.push(client);
  return client;
}

describe('voice agent on two worker processes behind one port (sticky sessions + Redis adapter)', () => {
  it('serves clients on both workers at once, and every worker sees all of them through Redis', async () => {
    const connected = [];
    for (let i = 0; i < 3; i++) connected.push(await connectReady());
    // Long polling: many HTTP requests per connection, each of which the primary must route to
    // the worker holding it (sticky routing); one that strayed would be refused there.
    connected.push(await connectReady({ socketOptions: { transports: ['polling'] } }));
    // Mic audio opens one recognition per session: something to see closed at the end.
    for (const client of connected) client.sendAudio(new Int16Array(320));
    const health = await healthWhen(
      (h) => h.workers.length === 2 && h.workers.every((w) => w.openProviderStreams === 2),
      'each worker to hold two sessions with recognition open',
    );

    const [first, second] = health.workers as [WorkerReport, WorkerReport];
    expect(health.workers.map((worker) => worker.stats.sessions)).toEqual([2, 2]);
    expect(health.workers.flatMap((worker) => worker.sessionIds).sort()).toEqual(
      connected.map((client) => client.sessionId).sort(),
    );
    // Answered by one worker: the other's report came back over a server-side event, and
    // fetchSockets() listed the other's sockets, both through Redis.
    expect([first.pid, second.pid]).toContain(health.answeredBy);
    expect(health.voiceSocketsByWorker).toEqual({ [first.pid]: 2, [second.pid]: 2 });

    const replies = await Promise.all(connected.map((client, i) => turn(client, `Hello number ${i}.`)));
    expect(replies).toEqual(
      connected.map((client, i) => `Process ${workerOf(health, client).pid} heard: Hello number ${i}.`),
    );

    for (const client of connected) client.close();
    expect((await allIdle()).voiceSocketsByWorker).toEqual({});
    await expectNoSessionRecords();
  }, 60_000);

  it('a dropped client resumes on the other worker with its history, and its spent token is refused', async () => {
    const { traveller, home, away } = await twoOnOneWorker();
    expect(await turn(traveller, 'My name is Ada.')).toBe(`Process ${home} heard: My name is Ada.`);
    const spentToken = currentToken(traveller);
    const resumed = nextEvent(traveller, 'ready');
    dropConnection(traveller);
    expect(await within(resumed, 'the resume')).toMatchObject({
      resumed: true,
      restored: 'drop',
      sessionId: traveller.sessionId,
    });
    expect(await turn(traveller, 'What is my name?')).toBe(
      `Process ${away} heard: What is my name? (after: My name is Ada.)`,
    );
    // The first worker let its suspended copy go once it saw the session taken.
    const moved = await healthWhen(
      (h) => h.workers.find((w) => w.pid === home)!.stats.sessions === 1,
      'the first worker to close its copy',
    );
    expect(workerOf(moved, traveller).pid).toBe(away);
    expect(moved.workers.find((w) => w.pid === away)!.stats).toMatchObject({ restoredSessions: 1 });

    const replay = connectWithToken(spentToken);
    const refusal = await within(nextEvent(replay, 'refused'), 'the replay refused');
    expect(refusal).toMatchObject({
      reason: 'resume_refused',
      detail: 'resume_unknown',
    } satisfies Partial<ConnectRefusal>);
    await within(nextEvent(replay, 'ready'), 'a fresh session for the replaying client');
    expect(replay.sessionId).not.toBe(traveller.sessionId);

    for (const client of clients) client.close();
    await allIdle();
    await expectNoSessionRecords();
  }, 60_000);

  it('with Redis down live sessions carry on and resumes are refused; once it is back, resumes work again', async () => {
    const { traveller, companion, home } = await twoOnOneWorker();
    expect(await turn(companion, 'Remember 7.')).toBe(`Process ${home} heard: Remember 7.`);

    redis!.stop();
    // A live session needs no Redis for a turn (its checkpoint write fails, and is logged).
    expect(await turn(companion, 'And 8.')).toBe(`Process ${home} heard: And 8. (after: Remember 7.)`);
    // A resume on the other worker needs Redis to spend the token: refused, and a new session starts.
    const lost = within(nextEvent(traveller, 'session-lost'), 'the refused resume');
    const fresh = within(nextEvent(traveller, 'ready'), 'a fresh session');
    const oldSession = traveller.sessionId;
    dropConnection(traveller);
    expect(await lost).toMatchObject({ sessionId: oldSession, detail: 'resume_unavailable' });
    expect(await fresh).toMatchObject({ resumed: false });
    expect(await turn(traveller, 'Hello?')).toMatch(/^Process \d+ heard: Hello\?$/);

    redis = await startRedis({ port: redis!.port });
    await healthWhen((h) => h.workers.every((w) => w.sessionStoreReady), 'the workers to reach Redis again');
    // Redis came back empty; the next finished turn writes the session's record again, and the
    // token, spent through Redis, resumes the session on whichever worker the client reaches.
    expect(await turn(companion, 'And 9.')).toBe(
      `Process ${home} heard: And 9. (after: Remember 7. / And 8.)`,
    );
    await savedInRedis(redis!.url, 'And 9.');
    const resumed = within(nextEvent(companion, 'ready'), 'the resume after the restart');
    dropConnection(companion);
    expect(await resumed).toMatchObject({ resumed: true, sessionId: companion.sessionId });
    expect(await turn(companion, 'Which numbers?')).toMatch(
      /^Process \d+ heard: Which numbers\? \(after: Remember 7\. \/ And 8\. \/ And 9\.\)$/,
    );

    for (const client of clients) client.close();
    await allIdle();
    await expectNoSessionRecords();
  }, 60_000);

  it("a killed worker's clients resume on the survivor with their history through the last finished turn", async () => {
    const connected = [];
    await allIdle();
    for (let i = 0; i < 4; i++) connected.push(await connectReady());
    const before = await healthWhen(
      (h) => h.workers.length === 2 && h.workers.every((w) => w.stats.sessions === 2),
      'two sessions on each worker',
    );
    const [victim, survivor] = before.workers as [WorkerReport, WorkerReport];
    const orphans = connected.filter((client) => workerOf(before, client) === victim);
    const settled = connected.filter((client) => workerOf(before, client) === survivor);
    const sessionIds = connected.map((client) => client.sessionId);
    for (const [i, client] of connected.entries()) await turn(client, `I am client ${i}.`);

    // Each orphan is in the middle of a turn when its worker dies: the user's words were heard,
    // the reply is being generated and never finishes.
    await Promise.all(
      orphans.map((client) => {
        const heard = nextEvent(client, 'user-turn');
        client.sendText('Tell me a story.');
        return within(heard, 'the turn in progress');
      }),
    );
    const lost = orphans.map((client) => within(nextEvent(client, 'turn-lost'), 'turn-lost'));
    const resumed = orphans.map((client) => within(nextEvent(client, 'ready'), 'the resume'));
    process.kill(victim.pid, 'SIGKILL');

    for (const ready of await Promise.all(resumed))
      expect(ready).toMatchObject({ resumed: true, restored: 'checkpoint' });
    for (const turnLost of await Promise.all(lost))
      expect(turnLost).toMatchObject({ text: 'Tell me a story.' });
    expect(connected.map((client) => client.sessionId)).toEqual(sessionIds);

    const replies = await Promise.all(connected.map((client) => turn(client, 'Who am I?')));
    expect(replies).toEqual(
      connected.map((_, i) => `Process ${survivor.pid} heard: Who am I? (after: I am client ${i}.)`),
    );
    const after = await healthWhen((h) => h.workers.length === 1, 'the survivor alone');
    expect(after.workers[0]).toMatchObject({
      pid: survivor.pid,
      stats: {
        sessions: 4,
        connectedSockets: 4,
        restoredSessions: survivor.stats.restoredSessions + orphans.length,
      },
    });
    expect(settled.every((client) => workerOf(after, client).pid === survivor.pid)).toBe(true);

    for (const client of connected) client.sendAudio(new Int16Array(320));
    await healthWhen((h) => h.workers[0]!.openProviderStreams === 4, 'recognition open in all four sessions');
    for (const client of connected) client.close();
    await allIdle();
    await expectNoSessionRecords();
  }, 60_000);

  it('a rolling restart (SIGHUP) moves every client to a new worker with its conversation', async () => {
    const connected = [await connectReady(), await connectReady()];
    for (const [i, client] of connected.entries()) await turn(client, `I am client ${i}.`);
    const before = await cluster!.health();
    const resumed = connected.map((client) =>
      within(nextEvent(client, 'ready'), 'the resume on a new worker'),
    );
    cluster!.primary.kill('SIGHUP');
    for (const ready of await Promise.all(resumed))
      expect(ready).toMatchObject({ resumed: true, restored: 'drop' });
    const oldPids = before.workers.map((worker) => worker.pid);
    const after = await healthWhen(
      (h) => h.workers.length === 2 && h.workers.every((w) => !oldPids.includes(w.pid)),
      'only new workers',
    );
    for (const pid of oldPids) expect(isRunning(pid)).toBe(false);
    const replies = await Promise.all(connected.map((client) => turn(client, 'Who am I?')));
    expect(replies).toEqual(
      connected.map(
        (client, i) => `Process ${workerOf(after, client).pid} heard: Who am I? (after: I am client ${i}.)`,
      ),
    );
    for (const client of connected) client.close();
    await allIdle();
    await expectNoSessionRecords();
  }, 60_000);

  it("another user's resume token is refused on the other worker, and still resumes its owner's session", async () => {
    await allIdle();
    const alice = await connectReady({ auth: { user: 'alice' } });
    expect(await turn(alice, 'My name is Alice.')).toMatch(/^Process \d+ heard: My name is Alice\.$/);
    const before = await healthWhen(
      (h) => h.workers.length === 2 && Boolean(workerOf(h, alice)),
      'her session',
    );
    const otherWorker = before.workers.find((w) => w !== workerOf(before, alice))!;
    const refusals = (health: ClusterHealth) =>
      health.workers
        .map((w) => ({ pid: w.pid, refused: w.stats.refusedConnections }))
        .sort((a, b) => a.pid - b.pid);

    // Least connections sends mallory to the worker alice is not on: the token must go through Redis.
    const mallory = connectWithToken(currentToken(alice), { user: 'mallory' });
    const ownSession = within(nextEvent(mallory, 'ready'), 'a session of her own for mallory');
    expect(await within(nextEvent(mallory, 'refused'), "alice's token refused to mallory")).toMatchObject({
      reason: 'resume_refused',
      detail: 'resume_unknown',
    } satisfies Partial<ConnectRefusal>);
    expect(refusals(await cluster!.health())).toEqual(
      refusals(before).map((r) => (r.pid === otherWorker.pid ? { ...r, refused: r.refused + 1 } : r)),
    );
    await ownSession;
    expect(mallory.sessionId).not.toBe(alice.sessionId);

    const resumed = nextEvent(alice, 'ready');
    dropConnection(alice);
    expect(await within(resumed, "alice's resume")).toMatchObject({
      resumed: true,
      sessionId: alice.sessionId,
    });
    expect(await turn(alice, 'Who am I?')).toMatch(
      /^Process \d+ heard: Who am I\? \(after: My name is Alice\.\)$/,
    );
    for (const client of clients) client.close();
    await allIdle();
    await expectNoSessionRecords();
  }, 60_000);

  // Last: it stops the cluster the tests above share (starting one is the slow part).
  it('stops on SIGTERM: clients are told their session closed, workers exit, then the primary with 0', async () => {
    const client = await connectReady();
    const health = await cluster!.health();
    const closed = nextEvent(client, 'closed');
    const exited = new Promise((resolve) => cluster!.primary.once('exit', (code) => resolve(code)));
    cluster!.primary.kill('SIGTERM');
    expect(await within(closed, 'the client to be told closed')).toMatchObject({ reason: 'server stopping' });
    expect(await within(exited, 'the primary to exit')).toBe(0);
    for (const worker of health.workers) expect(isRunning(worker.pid)).toBe(false);
    await expectNoSessionRecords();
  }, 30_000);
});
