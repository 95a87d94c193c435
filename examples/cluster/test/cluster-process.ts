import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { ClusterHealth } from '../src/cluster-health';

const EXAMPLE_DIR = resolve(import.meta.dirname, '..');
const MAIN = resolve(EXAMPLE_DIR, 'src/main.ts');
// Workspace packages from their sources, as in vitest, whatever state dist/ is in.
const SOURCES_TSCONFIG = resolve(import.meta.dirname, 'tsconfig.sources.json');

/** The example's primary (and through it, its workers) running as child processes. */
export interface RunningCluster {
  /** The one port the primary listens on, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly primary: ChildProcess;
  /** Everything the primary and the workers printed so far. */
  output(): string;
  /** `GET /health`: answered by whichever worker the primary picks, for the whole cluster. */
  health(): Promise<ClusterHealth>;
  /** SIGKILL to the whole process group (primary and workers). Safe to call twice. */
  stop(): void;
}

/** Runs `src/main.ts` with only these variables (no key of the machine leaks in) and waits until ready. */
export async function startCluster(env: Record<string, string>, timeoutMs = 90_000): Promise<RunningCluster> {
  const primary = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: EXAMPLE_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TSX_TSCONFIG_PATH: SOURCES_TSCONFIG,
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so one kill reaches the workers too, even if the primary hangs.
    detached: true,
  });
  let output = '';
  primary.stdout?.on('data', (chunk) => (output += chunk));
  primary.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () => {
    try {
      if (primary.pid !== undefined) process.kill(-primary.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // Also when the test process exits without running its hooks.
  process.once('exit', stop);

  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (url === undefined) {
    url = /Open (http:\/\/127\.0\.0\.1:\d+) /.exec(output)?.[1];
    if (url) break;
    if (primary.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`the cluster did not start (exit ${primary.exitCode}):\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  const origin = url;
  return {
    url: origin,
    primary,
    output: () => output,
    health: async () => {
      const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`/health answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as ClusterHealth;
    },
    stop,
  };
}
