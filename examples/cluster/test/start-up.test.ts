import { freeLoopbackPort } from '@voxduplex/test-support';
import { describe, expect, it } from 'vitest';
import { startCluster } from './cluster-process';

describe('cluster start-up', () => {
  it('stops with status 1 and says why when the workers cannot reach Redis, instead of crash-looping', async () => {
    const closedPort = await freeLoopbackPort();
    const started = startCluster({
      REDIS_URL: `redis://127.0.0.1:${closedPort}`,
      VOX_WORKERS: '2',
      VOX_FAKES: '1',
    });
    await expect(started).rejects.toThrow(/exit 1\)/);
    await expect(started).rejects.toThrow(
      new RegExp(
        `could not start: connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}[\\s\\S]*failed to start`,
      ),
    );
  }, 60_000);
});
