import { EventEmitter } from 'eventemitter3';
import type { VoiceSession } from './voice-session';

interface RegistryEvents {
  added: (id: string, session: VoiceSession) => void;
  removed: (id: string, session: VoiceSession) => void;
}

/**
 * Live sessions by connection id (what the seed called `VoiceToVoiceStatesManager`).
 * Removing a session closes it; a session that closes itself leaves the registry on its own.
 *
 * @example
 * ```ts
 * const sessions = new SessionRegistry();
 * sessions.add(socket.id, createVoiceSession(config));
 * socket.on('disconnect', () => sessions.remove(socket.id, 'disconnected'));
 * ```
 */
export class SessionRegistry extends EventEmitter<RegistryEvents> {
  readonly #sessions = new Map<string, VoiceSession>();

  get size(): number {
    return this.#sessions.size;
  }

  /** Registers a session. An id already in use closes and replaces the older session. */
  add(id: string, session: VoiceSession): VoiceSession {
    const previous = this.#sessions.get(id);
    if (previous && previous !== session) this.remove(id, 'replaced');
    this.#sessions.set(id, session);
    session.once('closed', () => {
      if (this.#sessions.get(id) === session) {
        this.#sessions.delete(id);
        this.emit('removed', id, session);
      }
    });
    this.emit('added', id, session);
    return session;
  }

  get(id: string): VoiceSession | undefined {
    return this.#sessions.get(id);
  }

  has(id: string): boolean {
    return this.#sessions.has(id);
  }

  ids(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Closes and forgets the session; returns whether there was one. */
  remove(id: string, reason = 'removed'): boolean {
    const session = this.#sessions.get(id);
    if (!session) return false;
    this.#sessions.delete(id);
    session.close(reason);
    this.emit('removed', id, session);
    return true;
  }

  /** Closes every session (server shutdown). */
  closeAll(reason = 'shutdown'): void {
    for (const id of this.ids()) this.remove(id, reason);
  }
}
