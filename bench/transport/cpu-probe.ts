// Server CPU per frame under saturation, for comparing code changes on a busy machine:
// `npx tsx bench/transport/cpu-probe.ts <socketio|socketio-events|ws> [N=300] [rounds=8]`.
//
// The real-time trials measure CPU per frame at a given N, but at low utilisation that figure
// swings with how frames batch per wake-up, which on a shared machine depends on other load.
// Here the server (pinned to core 0) gets rounds of 40 frames per client back to back (within
// the rate limit's burst) and its CPU (user + system, from /proc, 10 ms ticks) is read when it
// has gone idle after each round: every wake-up carries many frames, as near capacity.
// This process pins itself to core 1. Not part of `npm run bench`.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connectLoadClient, type LoadClient, type ServerErrorLog } from './load-clients';
import type { FromServer, TransportKind } from './messages';

const FRAMES_PER_ROUND = 40;
const kind = (process.argv[2] ?? 'socketio') as TransportKind;
const sessions = Number(process.argv[3] ?? 300);
const rounds = Number(process.argv[4] ?? 8);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
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

/** Server CPU so far, ms (utime + stime, in 10 ms ticks). */
function serverCpuMs(): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
/** Waits until the server has used no CPU for 150 ms, i.e. every frame sent was handled. */
async function idle(): Promise<number> {
  let last = serverCpuMs();
  for (;;) {
    await sleep(150);
    const now = serverCpuMs();
    if (now === last) return now;
    last = now;
  }
}
function sendRound(): void {
  for (let k = 0; k < FRAMES_PER_ROUND; k++) for (const client of clients) client.sendFrame(0, 0);
}

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
console.log(
  `${kind} N=${sessions}: ${((usedMs * 1000) / frames).toFixed(2)} µs of server CPU per frame ` +
    `(${usedMs} ms for ${frames} frames), ${errors.count} server errors${errors.first ? `: ${errors.first}` : ''}`,
);
for (const client of clients) client.close();
server.kill();
process.exit(0);
