// The rule this file proves: a closed session's record leaves the store even when the store
// fails the delete at close — the keeper sends it again each round — so the session's last token
// can never resume it elsewhere; and a delete that keeps failing is given up once the store has
// expired the record anyway. Two keepers sharing a store stand for two nodes. Virtual time.
import { silentLogger } from '@voxduplex/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../protocol/version';
import { MemorySessionStore } from './memory-session-store';
import { sha256 } from './resume-token';
import { type KeptLink, SessionKeeper } from './session-keeper';
import { SNAPSHOT_VERSION, SnapshotCodec } from './session-snapshot';

const TTL_MS = 30_000;
const STORE_TIMEOUT_MS = 1000;
/** A keeper looks at the store three times per TTL. */
const ROUND_MS = TTL_MS / 3;
const ALICE = sha256('alice');

/** A memory store whose deletes fail (`failing`) or never answer (`hanging`), counting them. */
class TroubledDeleteStore extends MemorySessionStore {
  deletes = 0;
  readonly #trouble: { readonly failing?: number; readonly hanging?: boolean };

  constructor(trouble: { readonly failing?: number; readonly hanging?: boolean }) {
    super();
    this.#trouble = trouble;
  }

  override delete(recordId: string, holder: string): Promise<void> {
    this.deletes++;
    if (this.#trouble.hanging) return new Promise(() => {});
    if (this.deletes <= (this.#trouble.failing ?? 0)) return Promise.reject(new Error('connection lost'));
    return super.delete(recordId, holder);
  }
}

let keepers: SessionKeeper<KeptLink>[];
beforeEach(() => {
  vi.useFakeTimers();
  keepers = [];
});
afterEach(async () => {
  for (const keeper of keepers) keeper.close();
  await vi.runOnlyPendingTimersAsync();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

function keeper(store: MemorySessionStore): SessionKeeper<KeptLink> {
  const started = new SessionKeeper<KeptLink>({
    store,
    codec: new SnapshotCodec(),
    ttlMs: TTL_MS,
    timeoutMs: STORE_TIMEOUT_MS,
    logger: silentLogger,
  });
  keepers.push(started);
  return started;
}

/** Alice's session kept by `node`, its `ready` token stored; resolves with the link and token. */
async function keptSession(node: SessionKeeper<KeptLink>) {
  const link: KeptLink = {
    record: node.newRecord(ALICE),
    isSuspended: false,
    snapshot: (savedOn) => ({
      version: SNAPSHOT_VERSION,
      protocol: PROTOCOL_VERSION,
      sessionId: 'session_a_1',
      identityId: 'alice',
      savedAtMs: Date.now(),
      savedOn,
      history: [{ role: 'user', content: 'My PIN is 1234.' }],
      isStarted: true,
      metadata: {},
    }),
    supersede: () => {},
  };
  node.keep(link);
  const { token, saved } = link.record.issueToken();
  await saved;
  return { link, token };
}

describe('SessionKeeper: a closed session leaves the store', () => {
  it('a delete that failed at close is sent again: the record goes, and the last token is refused elsewhere', async () => {
    const store = new TroubledDeleteStore({ failing: 1 });
    const here = keeper(store);
    const elsewhere = keeper(store);
    const { link, token } = await keptSession(here);

    here.forget(link);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.deletes).toBe(1);
    expect(store.size).toBe(1);

    await vi.advanceTimersByTimeAsync(2 * ROUND_MS);
    expect(store.size).toBe(0);
    expect(await elsewhere.resume(token, ALICE)).toMatchObject({ kind: 'refused', detail: 'resume_unknown' });
  });

  it('a delete that never answers is tried each round until the record expired in the store, then no more', async () => {
    const store = new TroubledDeleteStore({ hanging: true });
    const here = keeper(store);
    const { link } = await keptSession(here);

    here.forget(link);
    await vi.advanceTimersByTimeAsync(TTL_MS - 1);
    // Each try was cut at the store timeout, and the next round tried again.
    expect(store.deletes).toBe(3);
    expect(store.size).toBe(1);

    await vi.advanceTimersByTimeAsync(STORE_TIMEOUT_MS + 1);
    expect(store.size).toBe(0);
    const triedUntilExpiry = store.deletes;
    await vi.advanceTimersByTimeAsync(10 * TTL_MS);
    expect(store.deletes).toBe(triedUntilExpiry);
    // The keeper's own timer is the only one left, and closing it leaves none.
    expect(vi.getTimerCount()).toBe(1);
    here.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
