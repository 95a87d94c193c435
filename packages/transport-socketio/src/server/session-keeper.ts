import type { Logger } from '@voxduplex/core';
import type { ResumeRefusal } from '../protocol/wire-error';
import { LinkRecord, type RecordHost } from './link-record';
import { newHolderId, newRecordId, parseResumeToken } from './resume-token';
import type { SessionSnapshot, SnapshotCodec } from './session-snapshot';
import type { SessionStore } from './session-store';

/** What the keeper needs from a session's link on this node. */
export interface KeptLink {
  readonly record: LinkRecord;
  /** The client is away (the record's TTL then runs down instead of being renewed). */
  readonly isSuspended: boolean;
  /** The session as it is now, for the store. */
  snapshot(savedOn: SessionSnapshot['savedOn']): SessionSnapshot;
  /** Another node took the session over with its token: close it here. */
  supersede(): void;
}

/** Where a resume token leads. */
export type ResumeOutcome<L extends KeptLink> =
  /** The session lives on this node: re-attach it. */
  | { readonly kind: 'local'; readonly link: L }
  /** Another node held it: rebuild it from the snapshot, holding the record as `holder`. */
  | {
      readonly kind: 'restore';
      readonly recordId: string;
      readonly holder: string;
      readonly snapshot: SessionSnapshot;
    }
  | { readonly kind: 'refused'; readonly detail: ResumeRefusal; readonly why: string };

export interface SessionKeeperOptions {
  readonly store: SessionStore;
  readonly codec: SnapshotCodec;
  /** How long a record outlives the last word from its node: the resume window, ms. */
  readonly ttlMs: number;
  /** Bound on every store call, ms. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

class StoreTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`session store: ${what} took longer than ${ms} ms`);
  }
}

/**
 * Keeps this node's sessions resumable from any node: writes each session's record through its
 * {@link LinkRecord}, renews the TTL of connected sessions a few times per resume window (and
 * rewrites records the store lost), closes sessions another node took over, and answers resume
 * tokens. Every store call is bounded by `timeoutMs`; a store that fails or hangs is logged
 * once per outage and costs only the resumes that need it — new sessions and live ones carry on.
 */
export class SessionKeeper<L extends KeptLink> implements RecordHost {
  readonly #links = new Map<string, L>();
  /** Records of closed sessions whose delete may still fail, each until when it is worth retrying, ms. */
  readonly #removing = new Map<LinkRecord, number>();
  readonly #options: SessionKeeperOptions;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #isRoundRunning = false;
  #isHealthy = true;
  #isClosed = false;

  constructor(options: SessionKeeperOptions) {
    this.#options = options;
    this.#timer =
      options.ttlMs > 0 ? setInterval(() => void this.#round(), Math.max(10, options.ttlMs / 3)) : undefined;
    // Renewal must not keep a process alive that has nothing else to do.
    this.#timer?.unref?.();
  }

  /** Whether sessions are written at all (a resume window of 0 turns resumption off). */
  get isEnabled(): boolean {
    return this.#options.ttlMs > 0;
  }

  /**
   * Whether a client should wait for its session's checkpoints to be stored: sessions are
   * written, and the store answered its last call. While the store fails or hangs, clients are
   * not held at all (a checkpoint is still attempted, and a turn end waits at most
   * {@link timeoutMs} once, on the call that finds the outage).
   */
  get isStoreAnswering(): boolean {
    return this.isEnabled && this.#isHealthy;
  }

  /** The bound on every store call, ms (`storeTimeoutMs`). */
  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** A record for a new conversation, or for one restored here (`recordId` and `holder` from the take). */
  newRecord(ownerHash: string, restored?: { recordId: string; holder: string }): LinkRecord {
    return new LinkRecord(
      restored?.recordId ?? newRecordId(),
      restored?.holder ?? newHolderId(),
      ownerHash,
      this,
    );
  }

  /** Starts keeping `link` (call before its first token is issued). */
  keep(link: L): void {
    this.#links.set(link.record.recordId, link);
  }

  /**
   * Stops keeping `link` and deletes its record — unless `keepRecord` (the session was handed
   * off: its client resumes it on another node from the record). A delete that fails is sent
   * again each round until it succeeds or the record has expired in the store.
   */
  forget(link: L, keepRecord = false): void {
    const { record } = link;
    if (this.#links.get(record.recordId) === link) this.#links.delete(record.recordId);
    if (keepRecord) return;
    record.remove();
    // The store expires the record at most `ttlMs` after its last write, and a write still in
    // flight may land up to `timeoutMs` from now: past both, there is nothing left to delete.
    if (this.isEnabled && !this.#isClosed)
      this.#removing.set(record, Date.now() + this.#options.ttlMs + this.#options.timeoutMs);
  }

  /** Where `token`, shown by `ownerHash`, leads. Spends it (cluster-wide, through the store). */
  async resume(token: string, ownerHash: string): Promise<ResumeOutcome<L>> {
    const parsed = parseResumeToken(token);
    if (!parsed) return refused('resume_unknown', 'not a token this server issues');
    const local = this.#links.get(parsed.recordId);
    // A local session is re-attached as its own holder: a take that lands late changes nothing.
    const holder = local?.record.holder ?? newHolderId();
    const { store, codec } = this.#options;
    const taken = await this.#call('take', () =>
      store.take(parsed.recordId, parsed.tokenHash, ownerHash, holder),
    );
    if (taken === undefined) {
      if (local?.record.spendLocally(parsed.tokenHash, ownerHash)) return { kind: 'local', link: local };
      return refused('resume_unavailable', 'the session store did not answer');
    }
    if (taken.status === 'unknown') return refused('resume_unknown', 'token unknown, spent or expired');
    if (taken.status === 'wrong_owner') return refused('resume_unknown', 'token of another identity');
    if (local) {
      local.record.spendLocally(parsed.tokenHash, ownerHash);
      return { kind: 'local', link: local };
    }
    const snapshot = codec.decode(taken.snapshot, boundTo(parsed.recordId, ownerHash));
    if ('problem' in snapshot)
      return refused(
        snapshot.problem === 'incompatible' ? 'snapshot_incompatible' : 'resume_unknown',
        `snapshot ${snapshot.problem}: ${snapshot.why}`,
      );
    return { kind: 'restore', recordId: parsed.recordId, holder, snapshot };
  }

  /** Stops renewing and retrying deletes; records already written stay until their TTL. */
  close(): void {
    this.#isClosed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#removing.clear();
  }

  // RecordHost: the writes of each LinkRecord.

  async save(record: LinkRecord, savedOn: SessionSnapshot['savedOn']) {
    const link = this.#links.get(record.recordId);
    if (!this.isEnabled || !link || link.record !== record) return 'saved' as const;
    const snapshot = this.#options.codec.encode(
      link.snapshot(savedOn),
      boundTo(record.recordId, record.ownerHash),
    );
    const stored = {
      tokenHash: record.tokenHash,
      ownerHash: record.ownerHash,
      holder: record.holder,
      snapshot,
    };
    return this.#call('save', () => this.#options.store.save(record.recordId, stored, this.#options.ttlMs));
  }

  async delete(record: LinkRecord): Promise<boolean> {
    if (!this.isEnabled) return true;
    const done = await this.#call('delete', () => this.#options.store.delete(record.recordId, record.holder));
    return done !== undefined;
  }

  superseded(record: LinkRecord): void {
    const link = this.#links.get(record.recordId);
    if (link?.record === record) link.supersede();
  }

  /**
   * Renews connected sessions' records, rewrites lost or failed ones, lets taken ones go, and
   * deletes again the records of closed sessions whose delete failed.
   */
  async #round(): Promise<void> {
    if (this.#isRoundRunning) return;
    this.#isRoundRunning = true;
    try {
      await Promise.all([
        ...[...this.#removing].map(([record, expiresAtMs]) => this.#finishRemoval(record, expiresAtMs)),
        ...[...this.#links.values()].map(async (link) => {
          const { record } = link;
          if (record.isDirty) return record.retry();
          const { store, ttlMs } = this.#options;
          const ttl = link.isSuspended ? undefined : ttlMs;
          const touched = await this.#call('touch', () => store.touch(record.recordId, record.holder, ttl));
          if (touched === 'superseded') link.supersede();
          else if (touched === 'missing' && !record.isRemoved)
            record.save(link.isSuspended ? 'drop' : 'turn');
        }),
      ]);
    } finally {
      this.#isRoundRunning = false;
    }
  }

  /** Sends a removed record's failed delete again; lets it go once deleted or expired anyway. */
  async #finishRemoval(record: LinkRecord, expiresAtMs: number): Promise<void> {
    if (Date.now() >= expiresAtMs) {
      this.#removing.delete(record);
      return;
    }
    record.retry();
    // Waits for the delete in flight too (the first one, sent at `forget`), bounded by `timeoutMs`.
    await record.settled();
    if (!record.isDirty) this.#removing.delete(record);
  }

  /** One bounded store call: its result, or `undefined` when it failed or timed out (logged once per outage). */
  async #call<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    const { timeoutMs, logger } = this.#options;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const result = await Promise.race([
        (async () => work())(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreTimeout(what, timeoutMs)), timeoutMs);
        }),
      ]);
      if (!this.#isHealthy) {
        this.#isHealthy = true;
        logger.info({}, 'session store answers again: resumes on any node work again');
      }
      return result;
    } catch (error) {
      if (this.#isHealthy) {
        this.#isHealthy = false;
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          `session store failed (${what}): resumes that need it are refused until it answers; live sessions carry on`,
        );
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What a sealed snapshot is bound to: its record and its owner. */
function boundTo(recordId: string, ownerHash: string): string {
  return `${recordId}:${ownerHash}`;
}

function refused(
  detail: ResumeRefusal,
  why: string,
): { kind: 'refused'; detail: ResumeRefusal; why: string } {
  return { kind: 'refused', detail, why };
}
