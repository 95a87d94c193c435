import { type RunningRedis, startRedis } from '@voxduplex/test-support';
import {
  connectVoiceAgent,
  type ReadyMessage,
  type VoiceAgentClient,
  type VoiceAgentClientOptions,
} from '@voxduplex/transport-socketio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterHealth, WorkerReport } from '../src/cluster-health';
import { type RunningCluster, startCluster } from './cluster-process';

let redis: RunningRedis | undefined;
let cluster: RunningCluster | undefined;
const clients: VoiceAgentClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  // No respawn: the dead worker's clients can only go to the one that is left.
  cluster = await startCluster({ REDIS_URL: redis.url, VOX_WORKERS: '2', VOX_FAKES: '1', VOX_RESPAWN: '0' });
}, 120_000);
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(() => {
  cluster?.stop();
  redis?.stop();
});

/** Connects a client and waits for its session (one at a time, so least-connection alternates). */
async function connectReady(socketOptions: VoiceAgentClientOptions['socketOptions'] = {}) {
  const client = connectVoiceAgent(`${cluster!.url}/voice`, {
    reconnectionDelayMs: 100,
    reconnectionDelayMaxMs: 500,
    socketOptions,
  });
  clients.push(client);
  await within(nextReady(client), 'a session');
  return client;
}

function nextReady(client: VoiceAgentClient): Promise<ReadyMessage> {
  return new Promise((resolve) => {
    const off = client.on('ready', (ready) => {
      off();
      resolve(ready);
    });
  });
}

/** Sends a typed turn, plays (acks) the reply, and resolves with the text the agent spoke. */
function turn(client: VoiceAgentClient, text: string): Promise<string> {
  const spoken = new Promise<string>((resolve) => {
    const offAudio = client.on('agent-audio', (chunk) =>
      client.playbackAck({ speechId: chunk.speechId, playedMs: chunk.offsetMs + chunk.durationMs }),
    );
    const offEnd = client.on('speech-end', (end) => {
      offAudio();
      offEnd();
      resolve(end.text);
    });
  });
  client.sendText(text);
  return spoken;
}

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

/** Waits for `promise`, failing with `what` after a bound (not a timing claim). */
async function within<T>(promise: Promise<T>, what: string, boundMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), boundMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const workerOf = (health: ClusterHealth, client: VoiceAgentClient): WorkerReport =>
  health.workers.find((worker) => worker.sessionIds.includes(client.sessionId!))!;
const isIdle = (worker: WorkerReport) =>
  worker.stats.sessions === 0 && worker.stats.connectedSockets === 0 && worker.openProviderStreams === 0;

describe('voice agent on two worker processes behind one port (sticky sessions + Redis adapter)', () => {
  it('serves clients on both workers at once, and every worker sees all of them through Redis', async () => {
    const connected = [];
    for (let i = 0; i < 3; i++) connected.push(await connectReady());
    // Long polling: many HTTP requests per connection, each of which the primary must route to
    // the worker holding it (sticky routing); one that strayed would be refused there.
    connected.push(await connectReady({ transports: ['polling'] }));
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

    const replies = await within(
      Promise.all(connected.map((client, i) => turn(client, `Hello number ${i}.`))),
      'a turn on every client',
    );
    expect(replies).toEqual(
      connected.map((client, i) => `Process ${workerOf(health, client).pid} heard: Hello number ${i}.`),
    );

    for (const client of connected) client.close();
    const after = await healthWhen((h) => h.workers.every(isIdle), 'both workers to release everything');
    expect(after.voiceSocketsByWorker).toEqual({});
  }, 60_000);

  it("moves a killed worker's clients to a fresh session on the survivor; nothing leaks there", async () => {
    const connected = [];
    for (let i = 0; i < 4; i++) connected.push(await connectReady());
    const before = await healthWhen(
      (h) => h.workers.length === 2 && h.workers.every((w) => w.stats.sessions >= 1),
      'sessions on both workers',
    );
    const [victim, survivor] = before.workers as [WorkerReport, WorkerReport];
    const orphans = connected.filter((client) => workerOf(before, client) === victim);
    const settled = connected.filter((client) => workerOf(before, client) === survivor);
    expect(orphans.length + settled.length).toBe(4);

    const lost: string[] = [];
    for (const client of connected) client.on('session-lost', ({ sessionId }) => lost.push(sessionId ?? ''));
    const oldSessionIds = orphans.map((client) => client.sessionId!);
    const settledSessionIds = settled.map((client) => client.sessionId!);
    const refusals = orphans.map(
      (client) => new Promise((resolve) => client.on('refused', (refusal) => resolve(refusal))),
    );
    const fresh = orphans.map(nextReady);

    process.kill(victim.pid, 'SIGKILL');

    // The survivor never had the dead worker's sessions: it refuses their resume tokens, and
    // each client falls back to a new session there.
    for (const refusal of await within(Promise.all(refusals), 'the survivor to refuse the old tokens'))
      expect(refusal).toMatchObject({ reason: 'resume_refused' });
    for (const ready of await within(Promise.all(fresh), 'fresh sessions for the orphaned clients'))
      expect(ready).toMatchObject({ resumed: false });
    expect(lost.sort()).toEqual([...oldSessionIds].sort());
    expect(orphans.filter((client) => oldSessionIds.includes(client.sessionId!))).toEqual([]);
    expect(settled.map((client) => client.sessionId)).toEqual(settledSessionIds);

    const after = await healthWhen(
      (h) => h.workers.length === 1 && h.workers[0]!.stats.sessions === 4,
      'the survivor alone, with all four sessions',
    );
    expect(after.workers[0]).toMatchObject({
      pid: survivor.pid,
      stats: {
        sessions: 4,
        connectedSockets: 4,
        suspendedSessions: 0,
        refusedConnections: orphans.length,
        resumedSessions: 0,
      },
    });
    expect([...after.workers[0]!.sessionIds].sort()).toEqual(connected.map((c) => c.sessionId).sort());
    expect(after.voiceSocketsByWorker).toEqual({ [survivor.pid]: 4 });

    const replies = await within(
      Promise.all([turn(orphans[0]!, 'Are you still there?'), turn(settled[0]!, 'And you?')]),
      'turns on the survivor',
    );
    expect(replies).toEqual([
      `Process ${survivor.pid} heard: Are you still there?`,
      `Process ${survivor.pid} heard: And you?`,
    ]);

    for (const client of connected) client.sendAudio(new Int16Array(320));
    await healthWhen((h) => h.workers[0]!.openProviderStreams === 4, 'recognition open in all four sessions');
    for (const client of connected) client.close();
    const idle = await healthWhen((h) => h.workers.every(isIdle), 'the survivor to release everything');
    expect(idle.workers).toHaveLength(1);
    expect(idle.workers[0]!.stats).toMatchObject({ sessions: 0, suspendedSessions: 0, connectedSockets: 0 });
  }, 60_000);

  // Last: it stops the cluster the tests above share (starting one is the slow part).
  it('stops on SIGTERM: clients are told their session closed, workers exit, then the primary with 0', async () => {
    const client = await connectReady();
    const health = await cluster!.health();
    const closed = new Promise((resolve) => client.on('closed', resolve));
    const exited = new Promise((resolve) => cluster!.primary.once('exit', (code) => resolve(code)));
    cluster!.primary.kill('SIGTERM');
    expect(await within(closed, 'the client to be told closed')).toMatchObject({ reason: 'server stopping' });
    expect(await within(exited, 'the primary to exit')).toBe(0);
    for (const worker of health.workers) expect(isRunning(worker.pid)).toBe(false);
  }, 30_000);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
