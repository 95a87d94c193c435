import { createClient } from 'redis';

/** The keys of the session records (`RedisSessionStore`'s default `keyPrefix`). */
const SESSION_KEYS = 'voxduplex:session:*';

const readerOf = (url: string) => createClient({ url });
type RedisReader = ReturnType<typeof readerOf>;

async function reading<T>(url: string, read: (reader: RedisReader) => Promise<T>): Promise<T> {
  const reader = readerOf(url);
  await reader.connect();
  try {
    return await read(reader);
  } finally {
    await reader.close();
  }
}

/** Waits until a session record in Redis holds `text` (a write queued behind a failed one may lag). */
export function savedInRedis(url: string, text: string): Promise<void> {
  return reading(url, async (reader) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const keys = await reader.keys(SESSION_KEYS);
      const snapshots = await Promise.all(keys.map((key) => reader.hGet(key, 'snapshot')));
      if (snapshots.some((snapshot) => snapshot?.includes(text))) return;
      if (Date.now() > deadline) throw new Error(`no session record with '${text}' in Redis`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/**
 * What the closed sessions left in Redis, once it holds no session record (or after a bound,
 * not a timing claim): `records` still there, and `expired`, the keys Redis has expired since
 * it started. Only the session store sets TTLs here, so `expired: 0` says every record left
 * because its session deleted it, none by waiting out its resume window (which would also
 * empty Redis, later).
 */
export function sessionRecordsLeft(url: string): Promise<{ records: number; expired: number }> {
  return reading(url, async (reader) => {
    const deadline = Date.now() + 10_000;
    let records = (await reader.keys(SESSION_KEYS)).length;
    while (records > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      records = (await reader.keys(SESSION_KEYS)).length;
    }
    const stats = await reader.info('stats');
    const expired = Number(/^expired_keys:(\d+)/m.exec(stats)?.[1]);
    return { records, expired };
  });
}
