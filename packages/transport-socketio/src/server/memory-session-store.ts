import type { SessionStore, StoredSession, StoreTake, StoreTouch } from './session-store';

interface Entry {
  record: StoredSession;
  expiresAtMs: number;
}

/** How many writes between two sweeps of expired records. */
const SWEEP_EVERY_WRITES = 64;

/**
 * A {@link SessionStore} in this process's memory: the default. Resumes work on this process
 * only, and nothing survives its exit; give several processes a shared store
 * (`@voxduplex/session-store-redis`) to resume on any of them. Expired records are dropped when
 * read and swept every few writes, so it holds no timer.
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  #writes = 0;

  /** `now`: the clock TTLs are measured on, ms (default `Date.now`). */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Records not yet expired. */
  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  async save(recordId: string, record: StoredSession, ttlMs: number): Promise<'saved' | 'superseded'> {
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#sweep();
    const entry = this.#live(recordId);
    if (entry && entry.record.holder !== record.holder) return 'superseded';
    this.#entries.set(recordId, { record, expiresAtMs: this.#now() + ttlMs });
    return 'saved';
  }

  async take(recordId: string, tokenHash: string, ownerHash: string, newHolder: string): Promise<StoreTake> {
    const entry = this.#live(recordId);
    // A spent token leaves '' behind, which no presented token hashes to.
    if (!entry || tokenHash === '' || entry.record.tokenHash !== tokenHash) return { status: 'unknown' };
    if (entry.record.ownerHash !== ownerHash) return { status: 'wrong_owner' };
    entry.record = { ...entry.record, tokenHash: '', holder: newHolder };
    return { status: 'taken', snapshot: entry.record.snapshot };
  }

  async touch(recordId: string, holder: string, ttlMs?: number): Promise<StoreTouch> {
    const entry = this.#live(recordId);
    if (!entry) return 'missing';
    if (entry.record.holder !== holder) return 'superseded';
    if (ttlMs !== undefined) entry.expiresAtMs = this.#now() + ttlMs;
    return 'kept';
  }

  async delete(recordId: string, holder: string): Promise<void> {
    if (this.#live(recordId)?.record.holder === holder) this.#entries.delete(recordId);
  }

  #live(recordId: string): Entry | undefined {
    const entry = this.#entries.get(recordId);
    if (entry && entry.expiresAtMs <= this.#now()) {
      this.#entries.delete(recordId);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [recordId, entry] of this.#entries)
      if (entry.expiresAtMs <= now) this.#entries.delete(recordId);
  }
}
