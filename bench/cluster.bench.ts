// Sessions that outlive their process: two voice server processes (bench/cluster/server-process.ts,
// fake providers) share a real `redis-server` through RedisSessionStore; this process runs the
// clients (raw Socket.IO, as the reference client speaks) and reads Redis's own counters.
//
// cluster.resume_ms: a client finishes a turn on server A, its connection drops, and it connects
// to server B with its resume token; from that connect call to B's `ready` (resumed, restored):
// the handshake, the token spent in Redis, the snapshot read, the session rebuilt and its new
// token stored (`ready` waits for that write). RESUMES rounds, one at a time.
// cluster.snapshot_bytes: the snapshot Redis holds after 20 finished turns (plain JSON; `.sealed`:
// with a snapshotKey, AES-256-GCM and base64).
// cluster.redis_round_trips_per_turn: requests the servers sent Redis per finished turn of one
// session (EVALSHA/EVAL calls in INFO commandstats), over TURNS turns; the session's first
// `ready` and the keeper's TTL renewals (every 10 s) are included.
// cluster.turn_end_ms: what the client waits for a turn's end once its player finished: from its
// `playback-finished` (sent at `audio-end`, as the reference client's player does) to the
// `speech-end` the server sends once the turn's checkpoint is stored in Redis. TURN_ENDS turns,
// one at a time, five per session; `.memory`: the same against a server with the in-process
// store (which waits for the snapshot's encoding, not for a store round trip).
// cluster.crash_recovered_sessions: CRASH_N clients on server A finish two turns and start a
// third; A is SIGKILLed while their replies are in flight; each connects to B with its token.
// Counted: resumed from the checkpoint, and the next turn answered with both finished turns (and
// not the lost one) in its history.
// cluster.crash_at_turn_end_consistent: the kill lands while turn-end checkpoints are on their
// way, every time: PAUSED_N clients finish a turn on server C, whose Redis connection goes through
// a proxy; the proxy is frozen (what C writes stays there), the clients play their second turn's
// reply to the end, and 300 ms later (C's store timeout is 10 s) C is SIGKILLed and the proxy
// cut, the writes it held lost. Counted: clients whose conversation, resumed on B, holds every turn
// they saw end (`speech-end`). `.saw_end`: how many saw their second turn end (0 when turn ends
// wait for their checkpoint; all of them when `speech-end` leaves first — then none is counted).
//
// Needs `redis-server` on PATH. Build first (`npm run bench` does).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedis } from '@voxduplex/test-support';
import type { ReadyMessage } from '@voxduplex/transport-socketio';
import { createClient } from 'redis';
import type { Socket } from 'socket.io-client';
import { startFreezableProxy } from './cluster/freezable-proxy';
import { type ServerProcess, startServer } from './cluster/server-processes';
import { connect, drop, next, playTurn, timedTurnEnd, turn } from './cluster/voice-clients';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const RESUMES = 200;
const TURNS = 20;
const CRASH_N = 40;
const TURN_ENDS = 200;
const PAUSED_N = 20;
/** The commands this bench reads Redis with. */
interface RedisInfo {
  info(section: string): Promise<string>;
  keys(pattern: string): Promise<string[]>;
  hGet(key: string, field: string): Promise<string | null>;
}

/** TURN_ENDS timed turns, five per session: a session's burst allowance stays below its rate limit. */
async function turnEnds(url: string): Promise<number[]> {
  const ms: number[] = [];
  while (ms.length < TURN_ENDS) {
    const socket = connect(url);
    await next<ReadyMessage>(socket, 'ready');
    for (let i = 0; i < 5; i++) ms.push(await timedTurnEnd(socket, `Turn ${i}.`));
    socket.disconnect();
  }
  return ms;
}

/** Requests clients sent (the scripts' EVALSHA/EVAL; commands run inside a script are not round trips). */
async function scriptCalls(redis: RedisInfo): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/cmdstat_(evalsha|eval):calls=(\d+)/g)) calls += Number(match[2]);
  return calls;
}

async function snapshotBytes(redis: RedisInfo): Promise<number> {
  const keys = await redis.keys('voxduplex:session:*');
  let largest = 0;
  for (const key of keys)
    largest = Math.max(largest, Buffer.byteLength((await redis.hGet(key, 'snapshot')) ?? ''));
  return largest;
}

async function twentyTurns(url: string): Promise<Socket> {
  const socket = connect(url);
  await next<ReadyMessage>(socket, 'ready');
  for (let i = 0; i < TURNS; i++)
    await turn(socket, `This is turn number ${i}, with a sentence of ordinary length.`);
  return socket;
}

/**
 * The kill at a turn's end, with the turn's checkpoint write on its way (see the header);
 * resolves with the clients whose resumed conversation holds every turn they saw end, and how
 * many saw the second one end.
 */
async function crashAtTurnEnd(
  redisUrl: string,
  survivorUrl: string,
  servers: ServerProcess[],
): Promise<{ consistent: number; sawEnd: number }> {
  const proxy = await startFreezableProxy(redisUrl);
  // A store timeout far beyond the freeze: what the clients see then is the ordering alone.
  const victim = await startServer(proxy.url, { STORE_TIMEOUT_MS: '10000' });
  servers.push(victim);
  const clients: { socket: Socket; token: string; index: number; hasSeenEnd: boolean }[] = [];
  for (let index = 0; index < PAUSED_N; index++) {
    const socket = connect(victim.url);
    const { resumeToken } = await next<ReadyMessage>(socket, 'ready');
    await turn(socket, `I am ${index}.`);
    clients.push({ socket, token: resumeToken, index, hasSeenEnd: false });
  }
  proxy.freeze();
  try {
    await Promise.all(
      clients.map(async (client) => {
        client.socket.once('speech-end', () => {
          client.hasSeenEnd = true;
        });
        await playTurn(client.socket, `I like ${client.index}.`);
      }),
    );
    // Long enough for a `speech-end` sent without waiting to arrive.
    await sleep(300);
  } finally {
    victim.child.kill('SIGKILL');
    await proxy.cut();
  }
  let consistent = 0;
  await Promise.all(
    clients.map(async (client) => {
      client.socket.disconnect();
      const back = connect(survivorUrl, client.token);
      try {
        await next<ReadyMessage>(back, 'ready');
        const reply = await turn(back, 'Who am I?');
        // The second turn may be there unseen (its write can land after the client was cut off).
        const first = `I am ${client.index}.`;
        const both = `${first} | I like ${client.index}.`;
        const allowed = client.hasSeenEnd ? [both] : [first, both];
        const isConsistent = allowed.some((said) => reply === `You said: ${said} | Who am I?`);
        if (isConsistent) consistent++;
        else console.log(`inconsistent: saw ${client.hasSeenEnd ? 2 : 1} turns end, got back "${reply}"`);
      } finally {
        back.disconnect();
      }
    }),
  );
  return { consistent, sawEnd: clients.filter((c) => c.hasSeenEnd).length };
}

export default async function cluster(): Promise<readonly BenchResult[]> {
  const redisServer = await startRedis();
  const redis = createClient({ url: redisServer.url });
  await redis.connect();
  const servers: ServerProcess[] = [];
  try {
    const [a, b] = [await startServer(redisServer.url), await startServer(redisServer.url)];
    servers.push(a!, b!);

    // Snapshot size and round trips per turn, on one session of 20 turns.
    await redis.flushAll();
    const before = await scriptCalls(redis);
    const long = await twentyTurns(a!.url);
    const roundTripsPerTurn = ((await scriptCalls(redis)) - before) / TURNS;
    const plainBytes = await snapshotBytes(redis);
    long.disconnect();
    await redis.flushAll();

    // Resume on the other server.
    const resumeMs: number[] = [];
    for (let i = 0; i < RESUMES; i++) {
      const socket = connect(a!.url);
      const ready = await next<ReadyMessage>(socket, 'ready');
      await turn(socket, 'Remember me.');
      drop(socket);
      const started = performance.now();
      const back = connect(b!.url, ready.resumeToken);
      const resumed = await next<ReadyMessage>(back, 'ready');
      resumeMs.push(performance.now() - started);
      if (!resumed.resumed || resumed.restored === undefined)
        throw new Error('not restored on the other server');
      back.disconnect();
    }

    // What waiting for the checkpoint adds to a turn's end: Redis, then the in-process store.
    const turnEndMs = await turnEnds(a!.url);
    const memoryServer = await startServer(redisServer.url, { VOX_STORE: 'memory' });
    servers.push(memoryServer);
    const memoryTurnEndMs = await turnEnds(memoryServer.url);

    // A server that dies with replies in flight.
    const victim = await startServer(redisServer.url);
    servers.push(victim);
    const clients: { socket: Socket; token: string; index: number }[] = [];
    for (let index = 0; index < CRASH_N; index++) {
      const socket = connect(victim.url);
      clients.push({ socket, token: (await next<ReadyMessage>(socket, 'ready')).resumeToken, index });
    }
    await Promise.all(
      clients.map(async ({ socket, index }) => {
        await turn(socket, `I am ${index}.`);
        await turn(socket, `I like ${index}.`);
      }),
    );
    await Promise.all(
      clients.map(({ socket }) => {
        const heard = next(socket, 'user-turn');
        socket.emit('text', { text: 'A story, please.' });
        return heard;
      }),
    );
    victim.child.kill('SIGKILL');
    let recovered = 0;
    await Promise.all(
      clients.map(async (client) => {
        client.socket.disconnect();
        const back = connect(b!.url, client.token);
        try {
          const ready = await next<ReadyMessage>(back, 'ready');
          const reply = await turn(back, 'Who am I?');
          const expected = `You said: I am ${client.index}. | I like ${client.index}. | Who am I?`;
          if (ready.resumed && ready.restored === 'checkpoint' && reply === expected) recovered++;
          else console.log(`not recovered: ${JSON.stringify(ready)} ${reply}`);
        } finally {
          back.disconnect();
        }
      }),
    );

    const atTurnEnd = await crashAtTurnEnd(redisServer.url, b!.url, servers);

    // Sealed snapshots: the same 20 turns on a server with a key.
    const sealedServer = await startServer(redisServer.url, {
      VOX_SNAPSHOT_KEY: randomBytes(32).toString('base64'),
    });
    servers.push(sealedServer);
    await redis.flushAll();
    const sealedSession = await twentyTurns(sealedServer.url);
    const sealedBytes = await snapshotBytes(redis);
    sealedSession.disconnect();

    console.log(
      `resume p50 ${quantile(resumeMs, 0.5).toFixed(2)} ms, p99 ${quantile(resumeMs, 0.99).toFixed(2)} ms; ` +
        `snapshot ${plainBytes} B (sealed ${sealedBytes} B); ${roundTripsPerTurn} round trips per turn; ` +
        `turn end p50/p99 ${quantile(turnEndMs, 0.5).toFixed(2)}/${quantile(turnEndMs, 0.99).toFixed(2)} ms ` +
        `(in-process store ${quantile(memoryTurnEndMs, 0.5).toFixed(2)}/${quantile(memoryTurnEndMs, 0.99).toFixed(2)} ms); ` +
        `${recovered}/${CRASH_N} recovered; killed at the turn end: ${atTurnEnd.consistent}/${PAUSED_N} ` +
        `consistent, ${atTurnEnd.sawEnd} saw it end [load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}]`,
    );
    const results = [
      ...quantileResults('cluster.resume_ms', resumeMs, 'ms', { p50: 'reference', p99: '< 50' }),
      result('cluster.snapshot_bytes', plainBytes, 'bytes', `reference (${TURNS} turns)`),
      result('cluster.snapshot_bytes.sealed', sealedBytes, 'bytes', `reference (${TURNS} turns)`),
      result(
        'cluster.redis_round_trips_per_turn',
        roundTripsPerTurn,
        'round trips',
        'reference (one checkpoint per turn; the first ready and 10 s TTL renewals included)',
      ),
      result('cluster.turn_end_ms.p50', quantile(turnEndMs, 0.5), 'ms', 'reference (Redis checkpoint)'),
      result('cluster.turn_end_ms.p99', quantile(turnEndMs, 0.99), 'ms', 'reference (Redis checkpoint)'),
      result(
        'cluster.turn_end_ms.memory.p50',
        quantile(memoryTurnEndMs, 0.5),
        'ms',
        'reference (in-process store)',
      ),
      result(
        'cluster.turn_end_ms.memory.p99',
        quantile(memoryTurnEndMs, 0.99),
        'ms',
        'reference (in-process store)',
      ),
      result('cluster.crash_recovered_sessions', recovered, 'sessions', `${CRASH_N} of ${CRASH_N}`),
      result(
        'cluster.crash_at_turn_end_consistent',
        atTurnEnd.consistent,
        'sessions',
        `${PAUSED_N} of ${PAUSED_N}`,
      ),
      result('cluster.crash_at_turn_end_consistent.saw_end', atTurnEnd.sawEnd, 'sessions', 'reference'),
    ];
    report('cluster', results);
    return results;
  } finally {
    for (const server of servers) server.child.kill('SIGKILL');
    await redis.close();
    redisServer.stop();
  }
}
