import { cpus } from 'node:os';
import { ConfigError } from '@voxduplex/core';

/** The environment as the example reads it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What the primary and every worker read from the environment at start-up. */
export interface ClusterConfig {
  readonly env: Environment;
  /** Where the primary listens; workers never open a port of their own. */
  readonly host: string;
  readonly port: number;
  /** Worker processes to fork (each serves its own sessions). */
  readonly workers: number;
  /** The Redis that carries broadcasts, `fetchSockets()` and server-side events between workers. */
  readonly redisUrl: string;
  /** Fork a replacement when a worker dies (its clients resume on the others either way). */
  readonly respawn: boolean;
  /**
   * Use the core's fake providers (scripted, no audio model, no key) instead of the Express
   * example's provider choice: for tests and for trying the cluster without the offline engines.
   */
  readonly fakeProviders: boolean;
  /**
   * Seals the session snapshots kept in Redis (AES-256-GCM; 32 bytes as base64 or hex), so
   * Redis holds no readable conversation. Every worker gets the same key from the environment.
   */
  readonly snapshotKey: string | undefined;
  /** How long a dropped client's session waits for it (on any worker), ms. */
  readonly resumeWindowMs: number;
  /**
   * Demo only: a client is who its handshake's `auth.user` says (else `anonymous`), unchecked,
   * so a test can be two people. Never in production: anyone can claim anyone.
   */
  readonly identityFromAuth: boolean;
}

/**
 * Reads `HOST`, `PORT`, `VOX_WORKERS`, `REDIS_URL`, `VOX_RESPAWN`, `VOX_FAKES` and
 * `VOX_SNAPSHOT_KEY`, `VOX_RESUME_WINDOW_MS`, `VOX_DEMO_IDENTITY_FROM_AUTH`. Throws one
 * {@link ConfigError} listing every problem. The provider variables (`VOX_STT`, `VOX_TTS`,
 * `VOX_LLM`…) are the Express example's and are checked by its `readConfig`.
 */
export function readClusterConfig(env: Environment): ClusterConfig {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) problems.push(`PORT=${env.PORT} is not a port`);
  const workers = Number(env.VOX_WORKERS ?? Math.max(2, cpus().length));
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    problems.push(`VOX_WORKERS=${env.VOX_WORKERS} is not a worker count (1 to 64)`);
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL=${redisUrl} is not a redis:// URL`);
  const flag = (variable: string, fallback: boolean) => {
    const value = env[variable];
    if (value === undefined || value === '') return fallback;
    if (value === '1' || value === 'true') return true;
    if (value === '0' || value === 'false') return false;
    problems.push(`${variable}=${value} is not 0 or 1`);
    return fallback;
  };
  const respawn = flag('VOX_RESPAWN', true);
  const fakeProviders = flag('VOX_FAKES', false);
  const identityFromAuth = flag('VOX_DEMO_IDENTITY_FROM_AUTH', false);
  const resumeWindowMs = Number(env.VOX_RESUME_WINDOW_MS ?? 30_000);
  if (!Number.isInteger(resumeWindowMs) || resumeWindowMs < 0)
    problems.push(`VOX_RESUME_WINDOW_MS=${env.VOX_RESUME_WINDOW_MS} is not a whole number of ms`);
  const snapshotKey = env.VOX_SNAPSHOT_KEY || undefined;
  if (snapshotKey !== undefined && !/^([0-9a-f]{64}|[A-Za-z0-9+/]{43}=)$/i.test(snapshotKey))
    problems.push('VOX_SNAPSHOT_KEY is not 32 bytes in base64 or hex (openssl rand -base64 32)');
  if (problems.length > 0)
    throw new ConfigError('The voice cluster cannot start with this configuration', problems);
  return {
    env,
    host: env.HOST ?? '127.0.0.1',
    port,
    workers,
    redisUrl,
    respawn,
    fakeProviders,
    snapshotKey,
    resumeWindowMs,
    identityFromAuth,
  };
}
