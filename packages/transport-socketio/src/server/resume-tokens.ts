/** Why a resume token was refused. */
export type ResumeRefusal = 'unknown' | 'wrong_identity';

interface Entry {
  readonly sessionId: string;
  readonly identityId: string;
}

/**
 * Resume tokens: random, bound to one authenticated identity and one session, usable once.
 * A session holds at most one live token; issuing a new one revokes the old.
 */
export class ResumeTokens {
  readonly #byToken = new Map<string, Entry>();
  readonly #bySession = new Map<string, string>();

  /** Issues a fresh token for `sessionId`, revoking the session's previous one. */
  issue(sessionId: string, identityId: string): string {
    this.revoke(sessionId);
    const token = randomToken();
    this.#byToken.set(token, { sessionId, identityId });
    this.#bySession.set(sessionId, token);
    return token;
  }

  /**
   * Spends a token. Success consumes it (a replay is `unknown`). A token shown by another
   * identity is refused and stays valid for its owner.
   */
  redeem(token: string, identityId: string): { sessionId: string } | { refusal: ResumeRefusal } {
    const entry = this.#byToken.get(token);
    if (!entry) return { refusal: 'unknown' };
    if (entry.identityId !== identityId) return { refusal: 'wrong_identity' };
    this.#byToken.delete(token);
    this.#bySession.delete(entry.sessionId);
    return { sessionId: entry.sessionId };
  }

  /** Forgets the session's token (session closed or resume window over). */
  revoke(sessionId: string): void {
    const token = this.#bySession.get(sessionId);
    if (token === undefined) return;
    this.#bySession.delete(sessionId);
    this.#byToken.delete(token);
  }

  get size(): number {
    return this.#byToken.size;
  }
}

function randomToken(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}
