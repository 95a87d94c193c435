import type { VoiceSession } from '@voxduplex/core';
import type { ResourceCounter } from '@voxduplex/core/testing';

interface Entry {
  readonly session: VoiceSession;
  readonly timers: ResourceCounter;
  closedEvents: number;
}

/**
 * Every session a server created, whether it reported its terminal `closed` event (exactly
 * once, as the last event), and the timers each still holds after it — the proof that a
 * session ended cleanly. Sessions that ended cleanly can be forgotten (a long soak).
 */
export class SessionLedger {
  readonly #entries = new Map<string, Entry>();
  /** Session errors by `code` (provider failures, protocol problems…). */
  readonly errorCodes = new Map<string, number>();
  /** Sessions recorded so far. */
  created = 0;
  /** Sessions that reported `closed`. */
  closed = 0;

  record(session: VoiceSession, timers: ResourceCounter): void {
    const entry: Entry = { session, timers, closedEvents: 0 };
    this.#entries.set(session.id, entry);
    this.created++;
    session.events$.subscribe((event) => {
      if (event.type === 'error')
        this.errorCodes.set(event.error.code, (this.errorCodes.get(event.error.code) ?? 0) + 1);
      if (event.type === 'closed' && entry.closedEvents++ === 0) this.closed++;
    });
  }

  /** Ids of the sessions that have not reported `closed`. */
  open(): string[] {
    return [...this.#entries].filter(([, e]) => e.closedEvents === 0).map(([id]) => id);
  }

  /** What is wrong with the sessions that closed: a second `closed`, timers still pending. */
  problems(): string[] {
    const problems: string[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.closedEvents > 1) problems.push(`${id}: ${entry.closedEvents} closed events`);
      if (entry.closedEvents > 0 && entry.timers.open > 0)
        problems.push(`${id}: closed with ${entry.timers.open} timers pending`);
      if (entry.closedEvents > 0 && !entry.session.isClosed)
        problems.push(`${id}: closed event but isClosed is false`);
    }
    return problems;
  }

  /** Forgets the sessions that ended cleanly; the others stay for {@link problems}. */
  forgetClean(): void {
    for (const [id, entry] of this.#entries)
      if (entry.closedEvents === 1 && entry.timers.open === 0 && entry.session.isClosed)
        this.#entries.delete(id);
  }
}
