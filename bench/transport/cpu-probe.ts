// Server CPU per frame under saturation, robust on a busy machine (the transport bench reports
// it; on its own: `npx tsx bench/transport/cpu-probe.ts <socketio|socketio-events|ws> [N] [rounds]`).
//
// The real-time trials measure CPU per frame at a given N, but at low utilisation that figure
// swings with how frames batch per wake-up, which on a shared machine depends on other load.
// Here the server (pinned to core 0) gets rounds of 40 frames per client back to back (within
// the rate limit's burst) and its CPU (user + system, from /proc, 10 ms ticks) is read when it
// has gone idle after each round: every wake-up carries many frames, as near capacity.
// The clients run in a child process pinned to core 1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connectLoadClient, type LoadClient, type ServerErrorLog } from './load-clients';
import type { FromServer, TransportKind } from './messages';

const FRAMES_PER_ROUND = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one probe measured. */
export interface CpuProbe {
  readonly kind: TransportKind;
  readonly sessions: number;
  readonly frames: number;
  readonly serverCpuUsPerFrame: number;
  readonly serverErrors: number;
}

/** Runs one probe: a fresh server on core 0, `sessions` clients on core 1, `rounds` rounds. */
export async function probeServerCpu(
  kind: TransportKind,
  sessions: number,
  rounds: number,
): Promise<CpuProbe> {
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      ...process.execArgv,
      import.meta.filename,
      '--probe',
      kind,
      String(sessions),
      String(rounds),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const [probe] = (await once(child, 'message')) as [CpuProbe];
  await once(child, 'exit');
  return probe;
}

async function runProbe(kind: TransportKind, sessions: number, rounds: number): Promise<CpuProbe> {
  const server = spawn(
    'taskset',
    ['-c', '0', process.execPath, ...process.execArgv, `${import.meta.dirname}/server-process.ts`, kind],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve) =>
    server.on('message', (message: FromServer) => {
      if (message.type === 'listening') resolve(message.port);
    }),
  );
  const errors: ServerErrorLog = { count: 0 };
  const clients: LoadClient[] = [];
  for (let i = 0; i < sessions; i++) clients.push(await connectLoadClient(kind, port, errors));

  /** Server CPU so far, ms (utime + stime of all its threads, in 10 ms ticks). */
  const serverCpuMs = () => {
    const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  /** Waits until the server has used no CPU for 150 ms, i.e. every frame sent was handled. */
  const idle = async () => {
    let last = serverCpuMs();
    for (;;) {
      await sleep(150);
      const now = serverCpuMs();
      if (now === last) return now;
      last = now;
    }
  };
  const sendRound = () => {
    for (let k = 0; k < FRAMES_PER_ROUND; k++) for (const client of clients) client.sendFrame(0, 0);
  };

  sendRound(); // warm-up, not counted
  const startMs = await idle();
  for (let round = 0; round < rounds; round++) {
    // Gaps between rounds refill the rate limiter's bucket (burst 100, 100/s).
    await sleep(400);
    sendRound();
    await idle();
  }
  const usedMs = serverCpuMs() - startMs;
  const frames = rounds * FRAMES_PER_ROUND * sessions;
  for (const client of clients) client.close();
  server.kill();
  return {
    kind,
    sessions,
    frames,
    serverCpuUsPerFrame: (usedMs * 1000) / frames,
    serverErrors: errors.count,
  };
}

if (process.argv[2] === '--probe') {
  const [kind, sessions, rounds] = process.argv.slice(3);
  process.send?.(await runProbe(kind as TransportKind, Number(sessions), Number(rounds)));
  process.exit(0);
} else if (import.meta.filename === process.argv[1]) {
  const probe = await probeServerCpu(
    (process.argv[2] ?? 'socketio') as TransportKind,
    Number(process.argv[3] ?? 300),
    Number(process.argv[4] ?? 8),
  );
  console.log(
    `${probe.kind} N=${probe.sessions}: ${probe.serverCpuUsPerFrame.toFixed(2)} µs of server CPU per frame ` +
      `(${probe.frames} frames), ${probe.serverErrors} server errors`,
  );
}
