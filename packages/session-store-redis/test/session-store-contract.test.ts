import { silentLogger } from '@voxduplex/core';
import { freeLoopbackPort, type RunningRedis, startRedis } from '@voxduplex/test-support';
import { MemorySessionStore, type SessionStore, type StoredSession } from '@voxduplex/transport-socketio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../src/index';

// The SessionStore contract, once, against both implementations: what the transport relies on.
let redis: RunningRedis | undefined;
const redisStores: RedisSessionStore[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(redisStores.map((store) => store.close()));
  redis?.stop();
});

async function redisStore(): Promise<SessionStore> {
  const store = new RedisSessionStore({ url: redis!.url, logger: silentLogger });
  redisStores.push(store);
  await store.connect();
  return store;
}

let records = 0;
const record = (overrides: Partial<StoredSession> = {}): [string, StoredSession] => [
  `record-${++records}`,
  { tokenHash: 'token-1', ownerHash: 'alice', holder: 'node-a', snapshot: '{"history":[]}', ...overrides },
];

/** Polls `check` until it holds (a bound on waiting, not a timing claim). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each([
  ['MemorySessionStore', async () => new MemorySessionStore() as SessionStore],
  ['RedisSessionStore', redisStore],
])('%s keeps the SessionStore contract', (_name, makeStore) => {
  it('a right token takes the snapshot once; a replay finds nothing', async () => {
    const store = await makeStore();
    const [id, stored] = record();
    expect(await store.save(id, stored, 10_000)).toBe('saved');
    expect(await store.take(id, 'token-1', 'alice', 'node-b')).toEqual({
      status: 'taken',
      snapshot: stored.snapshot,
    });
    expect(await store.take(id, 'token-1', 'alice', 'node-c')).toEqual({ status: 'unknown' });
    expect(await store.take(id, '', 'alice', 'node-c')).toEqual({ status: 'unknown' });
  });

  it('one take wins among many at once', async () => {
    const store = await makeStore();
    const [id, stored] = record();
    await store.save(id, stored, 10_000);
    const takes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.take(id, 'token-1', 'alice', `node-${i}`)),
    );
    expect(takes.filter((take) => take.status === 'taken')).toHaveLength(1);
  });

  it('refuses a wrong token, and another owner without spending the token', async () => {
    const store = await makeStore();
    const [id, stored] = record();
    await store.save(id, stored, 10_000);
    expect(await store.take(id, 'token-2', 'alice', 'node-b')).toEqual({ status: 'unknown' });
    expect(await store.take(id, 'token-1', 'mallory', 'node-b')).toEqual({ status: 'wrong_owner' });
    expect(await store.take(id, 'token-1', 'alice', 'node-b')).toMatchObject({ status: 'taken' });
    expect(await store.take('no-such-record', 'token-1', 'alice', 'node-b')).toEqual({ status: 'unknown' });
  });

  it('after a take the old holder can no longer write, touch or delete; the new one can', async () => {
    const store = await makeStore();
    const [id, stored] = record();
    await store.save(id, stored, 10_000);
    await store.take(id, 'token-1', 'alice', 'node-b');
    expect(await store.save(id, { ...stored, tokenHash: 'token-9' }, 10_000)).toBe('superseded');
    expect(await store.touch(id, 'node-a', 10_000)).toBe('superseded');
    await store.delete(id, 'node-a');
    expect(await store.touch(id, 'node-b')).toBe('kept');
    expect(await store.save(id, { ...stored, holder: 'node-b', tokenHash: 'token-2' }, 10_000)).toBe('saved');
    expect(await store.take(id, 'token-2', 'alice', 'node-c')).toMatchObject({ status: 'taken' });
  });

  it('a delete by the holder removes the record; a record expires after its TTL unless touched', async () => {
    const store = await makeStore();
    const [id, stored] = record();
    await store.save(id, stored, 10_000);
    await store.delete(id, 'node-a');
    expect(await store.touch(id, 'node-a')).toBe('missing');

    const [short, shortLived] = record();
    await store.save(short, shortLived, 30);
    await eventually(async () => (await store.touch(short, 'node-a')) === 'missing', 'the record to expire');
    expect(await store.take(short, 'token-1', 'alice', 'node-b')).toEqual({ status: 'unknown' });
  });
});

describe('RedisSessionStore when Redis goes away', () => {
  it('starts without Redis: connect() resolves after the first failed attempt, and close() ends it', async () => {
    const port = await freeLoopbackPort();
    const store = new RedisSessionStore({ url: `redis://127.0.0.1:${port}`, logger: silentLogger });
    await store.connect();
    expect(store.isReady).toBe(false);
    await expect(store.touch('record-x', 'node-a')).rejects.toThrow();
    await store.close();
    expect(store.isReady).toBe(false);
  });

  it('fails fast while Redis is down, and works again (scripts reloaded) once it is back on the same port', async () => {
    const own = await startRedis();
    let running: RunningRedis | undefined = own;
    const store = new RedisSessionStore({ url: own.url, logger: silentLogger, commandTimeoutMs: 500 });
    try {
      await store.connect();
      const [id, stored] = record();
      expect(await store.save(id, stored, 10_000)).toBe('saved');
      own.stop();
      running = undefined;
      await eventually(async () => !store.isReady, 'the client to notice');
      await expect(store.take(id, 'token-1', 'alice', 'node-b')).rejects.toThrow();

      running = await startRedis({ port: own.port });
      await eventually(async () => store.isReady, 'the client to reconnect');
      // Without persistence the record is gone; the store answers, and its scripts run again.
      expect(await store.touch(id, 'node-a')).toBe('missing');
      expect(await store.save(id, stored, 10_000)).toBe('saved');
      expect(await store.take(id, 'token-1', 'alice', 'node-b')).toMatchObject({ status: 'taken' });
    } finally {
      await store.close();
      running?.stop();
    }
    expect(store.isReady).toBe(false);
  });
});
