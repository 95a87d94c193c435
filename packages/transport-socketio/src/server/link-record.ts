import { issueResumeToken } from './resume-token';
import type { SessionSnapshot } from './session-snapshot';

/** What a {@link LinkRecord} needs from the server's {@link SessionKeeper}. */
export interface RecordHost {
  /** Writes the record; `undefined` when the store failed or timed out. */
  save(record: LinkRecord, savedOn: SessionSnapshot['savedOn']): Promise<'saved' | 'superseded' | undefined>;
  /** Deletes the record if this link still holds it; false when the store failed. */
  delete(record: LinkRecord): Promise<boolean>;
  /** Another node took the session: this link must let it go. */
  superseded(record: LinkRecord): void;
}

type Write = ({ kind: 'save'; savedOn: SessionSnapshot['savedOn'] } | { kind: 'delete' }) & {
  /** Resolved once this write finished: the callers of the writes it replaced wait for it too. */
  readonly finished: (() => void)[];
};

/**
 * One session's record in the store, as its link on this node sees it: the live resume token
 * (only its hash is kept), who holds the record, and the writes to make. Writes go one at a
 * time, in order; while one is in flight later ones collapse into the newest (a snapshot is
 * built when it is sent, so it is always the latest). A write that fails leaves the record
 * dirty, and the keeper's next round writes it again.
 */
export class LinkRecord {
  #tokenHash = '';
  #inFlight = false;
  #next: Write | undefined;
  #isDirty = false;
  #isRemoved = false;
  #settled: Promise<void> = Promise.resolve();
  #lastSavedOn: SessionSnapshot['savedOn'] = 'turn';

  constructor(
    /** Random, one per conversation; kept when the conversation moves to another node. */
    readonly recordId: string,
    /** Random, one per link: the store's `holder` while this node holds the session. */
    readonly holder: string,
    /** SHA-256 of whom its tokens are bound to. */
    readonly ownerHash: string,
    readonly host: RecordHost,
  ) {}

  get tokenHash(): string {
    return this.#tokenHash;
  }

  /** A write (a save, or the delete of a removed record) failed and has not been made good yet. */
  get isDirty(): boolean {
    return this.#isDirty;
  }

  get isRemoved(): boolean {
    return this.#isRemoved;
  }

  /**
   * Issues a new resume token (revoking the previous one) and saves it with a snapshot;
   * `saved` resolves as {@link save}'s promise does (until then, the store may not know the token).
   */
  issueToken(): { readonly token: string; readonly saved: Promise<void> } {
    const { token, tokenHash } = issueResumeToken(this.recordId);
    this.#tokenHash = tokenHash;
    return { token, saved: this.save('turn') };
  }

  /**
   * Spends the live token here, without the store (it is unreachable): true when `tokenHash`
   * and `ownerHash` match, and then the token is gone.
   */
  spendLocally(tokenHash: string, ownerHash: string): boolean {
    if (this.#tokenHash === '' || tokenHash !== this.#tokenHash || ownerHash !== this.ownerHash) return false;
    this.#tokenHash = '';
    return true;
  }

  /**
   * Writes the snapshot: `turn` after a finished turn, `drop` when the client went away.
   * Resolves once the write carrying it finished — stored, failed or timed out (each store call
   * is bounded by the keeper's timeout, and a write may wait for the one in flight); it never
   * rejects. A save made after the record was removed resolves at once, writing nothing.
   */
  save(savedOn: SessionSnapshot['savedOn']): Promise<void> {
    if (this.#isRemoved) return Promise.resolve();
    this.#lastSavedOn = savedOn;
    return new Promise((finished) => this.#enqueue({ kind: 'save', savedOn, finished: [finished] }));
  }

  /**
   * Writes again what failed to be written (the keeper's next round): the delete of a removed
   * record, else the last save.
   */
  retry(): void {
    if (!this.#isDirty) return;
    // A save would write nothing once removed: a delete that failed must be sent again, or the
    // record (and the closed session's last token) stays in the store until its TTL.
    if (this.#isRemoved) this.#enqueue({ kind: 'delete', finished: [] });
    else this.save(this.#lastSavedOn);
  }

  /** Resolves when no write is in flight or waiting (each write is bounded by the store timeout). */
  settled(): Promise<void> {
    return this.#settled;
  }

  /** The session ended: its record goes, and nothing is written after. */
  remove(): void {
    if (this.#isRemoved) return;
    this.#isRemoved = true;
    this.#tokenHash = '';
    this.#enqueue({ kind: 'delete', finished: [] });
  }

  #enqueue(write: Write): void {
    if (this.#inFlight) {
      // The newer write carries everything the one it replaces would have.
      if (this.#next) write.finished.unshift(...this.#next.finished);
      this.#next = write;
      return;
    }
    this.#inFlight = true;
    this.#settled = this.#run(write);
  }

  async #run(first: Write): Promise<void> {
    for (let write: Write | undefined = first; write; write = this.#take()) {
      if (write.kind === 'delete') this.#isDirty = !(await this.host.delete(this));
      else {
        const outcome = await this.host.save(this, write.savedOn);
        this.#isDirty = outcome === undefined;
        if (outcome === 'superseded') {
          // The session lives on another node now: nothing more is written from here.
          for (const finished of this.#take()?.finished ?? []) finished();
          this.host.superseded(this);
        }
      }
      for (const finished of write.finished) finished();
    }
    this.#inFlight = false;
  }

  #take(): Write | undefined {
    const next = this.#next;
    this.#next = undefined;
    return next;
  }
}
