import type { SessionEvent, VoiceSession } from '@voxduplex/core';
import { filter, firstValueFrom, timeout } from 'rxjs';

/** A session event with the `performance.now()` time it was seen. */
export interface TimedEvent {
  readonly at: number;
  readonly event: SessionEvent;
}

/** Records every event of a session, in order, with its arrival time. */
export function recordEvents(session: VoiceSession): TimedEvent[] {
  const log: TimedEvent[] = [];
  session.events$.subscribe((event) => log.push({ at: performance.now(), event }));
  return log;
}

/**
 * The next event matching `predicate`. Subscribes at once: call it before the action that
 * causes the event.
 */
export function nextEvent<T extends SessionEvent['type']>(
  session: VoiceSession,
  type: T,
  predicate: (event: Extract<SessionEvent, { type: T }>) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<Extract<SessionEvent, { type: T }>> {
  return firstValueFrom(
    session.events$.pipe(
      filter((event): event is Extract<SessionEvent, { type: T }> => event.type === type),
      filter(predicate),
      timeout({
        first: timeoutMs,
        with: () => {
          throw new Error(`no '${type}' event within ${timeoutMs} ms`);
        },
      }),
    ),
  );
}

/** Resolves after `ms` of wall-clock time. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Spoken words in a text (letters, digits and apostrophes). */
export const wordCount = (text: string) => text.split(/\s+/).filter((word) => /[a-z0-9]/i.test(word)).length;

/** Resolves when the agent is listening (at once if it already is). */
export async function agentListening(session: VoiceSession, timeoutMs = 30_000): Promise<void> {
  if (session.state.agent === 'listening') return;
  await nextEvent(session, 'state', (e) => e.state.agent === 'listening', timeoutMs);
}
