// Child processes of the install check: commands that must finish within a bound, servers that
// run until stopped. Each child leads its own process group, so a timeout or a stop ends the
// whole tree it started (npm → sh → node), and nothing outlives the check.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

const OUTPUT_TAIL_CHARS = 4000;

/** Every child still running, so an interrupted check ends them too. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) killGroup(child);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

function track(child) {
  running.add(child);
  child.on('close', () => running.delete(child));
  return child;
}

/**
 * Runs `command args` in `cwd` and resolves with its output once it exits 0. Rejects with the
 * command, its exit status and the tail of its output when it fails or outlives `timeoutMs`.
 */
export function run(command, args, { cwd, env = {}, timeoutMs, input } = {}) {
  if (!timeoutMs) throw new Error(`run ${command}: a timeout is required`);
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(command, args, {
        cwd,
        env: { ...process.env, ...env },
        detached: true,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    if (input !== undefined) child.stdin.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) return resolve({ stdout, stderr });
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      const output = `${stdout}\n${stderr}`.trim().slice(-OUTPUT_TAIL_CHARS);
      reject(new Error(`${command} ${args.join(' ')} (in ${cwd ?? process.cwd()}) ${why}\n${output}`));
    });
  });
}

/**
 * Starts a long-running process (a server) and returns at once. `output()` is everything it
 * printed so far; `stop()` ends its process group and resolves when it has exited.
 */
export function start(command, args, { cwd, env = {} } = {}) {
  const child = track(
    spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  let hasExited = false;
  exited.then(() => (hasExited = true));
  return {
    output: () => output,
    exited,
    get hasExited() {
      return hasExited;
    },
    async stop() {
      if (!hasExited) killGroup(child);
      await exited;
    },
  };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once something accepts TCP connections on `port`; rejects when `process` exits first
 * or after `timeoutMs`, with what it printed.
 */
export async function waitForPort(port, process_, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process_.hasExited)
      throw new Error(
        `server exited before listening on ${port}:\n${process_.output().slice(-OUTPUT_TAIL_CHARS)}`,
      );
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `nothing listened on ${port} within ${timeoutMs} ms:\n${process_.output().slice(-OUTPUT_TAIL_CHARS)}`,
  );
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs `tasks` (functions returning promises) with at most `limit` at a time; results in order. */
export async function inParallel(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
