// The voice server processes of the cluster bench (server-process.ts), started and found.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const SERVER = resolve(import.meta.dirname, 'server-process.ts');

export interface ServerProcess {
  /** Its `/voice` namespace. */
  readonly url: string;
  readonly child: ChildProcess;
}

/** Starts one server on a free port, its sessions in the Redis at `redisUrl` (`env` adds to its environment). */
export async function startServer(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
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
