import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const TSX = resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');

/** Runs one of the example's `src/` scripts with only these variables (no key of the machine leaks in). */
export function runScript(script: string, args: readonly string[], env: Record<string, string>) {
  const child = spawn(TSX, [resolve(import.meta.dirname, '../src', script), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}
