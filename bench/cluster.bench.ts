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
//
// Needs `redis-server` on PATH. Build first (`npm run bench` does).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startRedis } from '@voxduplex/test-support';
import type { ReadyMessage, SpeechEndMessage } from '@voxduplex/transport-socketio';
import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const RESUMES = 200;
const TURNS = 20;
const CRASH_N = 40;
const TURN_ENDS = 200;
/** The commands this bench reads Redis with. */
interface RedisInfo {
  info(section: string): Promise<string>;
  keys(pattern: string): Promise<string[]>;
  hGet(key: string, field: string): Promise<string | null>;
}

const SERVER = resolve(import.meta.dirname, 'cluster/server-process.ts');

interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startServer(redisUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...process.execArgv, SERVER], {
    env: { ...process.env, REDIS_URL: redisUrl, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((done, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) done(match[1]!);
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}): ${output}`)));
  });
  return { url: `http://127.0.0.1:${port}/voice`, child };
}

function connect(url: string, resumeToken?: string): Socket {
  return io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: resumeToken ? { resumeToken } : {},
  });
}

function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no '${event}' within 10 s`)), 10_000);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      done(payload);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
  });
}

/** A typed turn, its reply acked as a player would; resolves with what the agent said. */
async function turn(socket: Socket, text: string): Promise<string> {
  const onAudio = (
    header: { speechId: string; offsetMs: number; durationMs: number },
    _: unknown,
    ack: () => void,
  ) => {
    ack();
    socket.emit('playback-ack', { speechId: header.speechId, playedMs: header.offsetMs + header.durationMs });
  };
  socket.on('agent-audio', onAudio);
  const ended = next<SpeechEndMessage>(socket, 'speech-end');
  socket.emit('text', { text });
  const end = await ended;
  socket.off('agent-audio', onAudio);
  return end.text;
}

/**
 * A typed turn whose player reports the end of playback at `audio-end`; resolves with the time
 * from that report to the `speech-end`, ms.
 */
async function timedTurnEnd(socket: Socket, text: string): Promise<number> {
  let finishedAt = 0;
  const onAudio = (_header: unknown, _samples: unknown, ack: () => void) => ack();
  const onAudioEnd = ({ speechId }: { speechId: string }) => {
    finishedAt = performance.now();
    socket.emit('playback-finished', { speechId });
  };
  socket.on('agent-audio', onAudio);
  socket.on('audio-end', onAudioEnd);
  const ended = next<SpeechEndMessage>(socket, 'speech-end');
  socket.emit('text', { text });
  await ended;
  const turnEndMs = performance.now() - finishedAt;
  socket.off('agent-audio', onAudio);
  socket.off('audio-end', onAudioEnd);
  if (finishedAt === 0) throw new Error('speech-end before audio-end');
  return turnEndMs;
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

/** Cuts the connection under Socket.IO, as a network failure would (the server suspends and saves). */
function drop(socket: Socket): void {
  socket.io.engine.close();
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
        `${recovered}/${CRASH_N} recovered [load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}]`,
    );
    const results = [
      ...quantileResults('cluster.resume_ms', resumeMs, 'ms', { p50: 'reference', p99: '< 50' }),
      result('cluster.snapshot_bytes', plainBytes, 'bytes', `reference (${TURNS} turns)`),
      result('cluster.snapshot_bytes.sealed', sealedBytes, 'bytes', `reference (${TURNS} turns)`),
      result('cluster.redis_round_trips_per_turn', roundTripsPerTurn, 'round trips', '<= 1'),
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
    ];
    report('cluster', results);
    return results;
  } finally {
    for (const server of servers) server.child.kill('SIGKILL');
    await redis.close();
    redisServer.stop();
  }
}
