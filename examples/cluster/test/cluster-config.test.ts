import { ConfigError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { readClusterConfig } from '../src/cluster-config';

describe('cluster configuration', () => {
  it('lists every bad variable at once, before anything starts', () => {
    let error: unknown;
    try {
      readClusterConfig({ PORT: '70000', VOX_WORKERS: '0', REDIS_URL: 'localhost:6379', VOX_FAKES: 'yes' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      'PORT=70000 is not a port',
      'VOX_WORKERS=0 is not a worker count (1 to 64)',
      'REDIS_URL=localhost:6379 is not a redis:// URL',
      'VOX_FAKES=yes is not 0 or 1',
    ]);
  });

  it('defaults to a local Redis, respawned workers and the real providers', () => {
    expect(readClusterConfig({ VOX_WORKERS: '3' })).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      workers: 3,
      redisUrl: 'redis://127.0.0.1:6379',
      respawn: true,
      fakeProviders: false,
      identityFromAuth: false,
    });
    expect(
      readClusterConfig({ VOX_RESPAWN: '0', VOX_FAKES: 'true', VOX_DEMO_IDENTITY_FROM_AUTH: '1' }),
    ).toMatchObject({
      respawn: false,
      fakeProviders: true,
      identityFromAuth: true,
    });
  });
});
