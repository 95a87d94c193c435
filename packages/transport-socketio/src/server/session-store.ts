/**
 * One session's entry in a {@link SessionStore}: what a node needs to take the session over.
 * Every field is opaque to the store; it compares the hashes and the holder as strings.
 */
export interface StoredSession {
  /** SHA-256 of the live resume token (the token itself is never stored). */
  readonly tokenHash: string;
  /** SHA-256 of whom the token is bound to (an identity id, or `anonymous`). */
  readonly ownerHash: string;
  /** Which link (one node, one session) holds the session now; random per link. */
  readonly holder: string;
  /** The encoded {@link SessionSnapshot}: JSON, or sealed with the app's key. */
  readonly snapshot: string;
}

/** What {@link SessionStore.take} found. */
export type StoreTake =
  /** The token was right: it is spent, and `holder` now names the taker. */
  | { readonly status: 'taken'; readonly snapshot: string }
  /** No record, or another token (spent, revoked, expired, never issued). */
  | { readonly status: 'unknown' }
  /** The token is right but bound to someone else; it stays valid for its owner. */
  | { readonly status: 'wrong_owner' };

/** What {@link SessionStore.touch} found. */
export type StoreTouch = 'kept' | 'superseded' | 'missing';

/**
 * Where resumable sessions wait between nodes: a key-value contract small enough for Redis,
 * a database row or a process's memory. Records are keyed by a random record id (one per
 * conversation, kept across nodes), expire on their own after the TTL given, and change hands
 * only through {@link take}, which must be atomic: two nodes presenting the same token at once
 * get one `taken` between them.
 *
 * A node writes its sessions' records (at `ready`, after each finished turn, at a drop) and
 * keeps them alive while the client is connected; the store never interprets a snapshot. A
 * client is told a turn finished (`speech-end`) only once {@link save} answered for that
 * turn's checkpoint, so answer `save` only once the record is durable as far as the store goes.
 * Implementations: {@link MemorySessionStore} (one process; the default) and
 * `@voxduplex/session-store-redis`. The transport bounds every call with `storeTimeoutMs`,
 * so a call that hangs costs a refused resume, never a stuck session.
 */
export interface SessionStore {
  /**
   * Writes the record, replacing token and snapshot, and sets its TTL — unless another holder
   * has taken it since (`superseded`: the session lives on another node now; nothing written).
   * A missing record is created.
   */
  save(recordId: string, record: StoredSession, ttlMs: number): Promise<'saved' | 'superseded'>;
  /**
   * Spends a resume token, atomically: when the record holds `tokenHash` and `ownerHash`, the
   * token is removed (a replay finds `unknown`), `holder` becomes `newHolder`, and the snapshot
   * is returned. A right token of another owner is refused and left in place.
   */
  take(recordId: string, tokenHash: string, ownerHash: string, newHolder: string): Promise<StoreTake>;
  /**
   * Whether `holder` still holds the record; when it does and `ttlMs` is given, its TTL is
   * reset. `missing`: expired or lost (a Redis restart without persistence).
   */
  touch(recordId: string, holder: string, ttlMs?: number): Promise<StoreTouch>;
  /** Deletes the record if `holder` still holds it (a closed session; another holder's stays). */
  delete(recordId: string, holder: string): Promise<void>;
}
