import { voxErrorLogLine } from '../logging/error-fields';
import { childLogger, type Logger } from '../logging/logger';
import type { SessionEvent } from './events';
import type { VoiceSession } from './voice-session';

/** What {@link logSession} writes. */
export interface LogSessionOptions {
  /**
   * Log the session's `error` events (default true). A server that reports errors itself
   * (`attachVoiceAgent` does, with the client's identity) turns this off.
   */
  readonly errors?: boolean;
}

/**
 * Writes what happens in a session to `logger`, one structured line per step, every line with
 * `sessionId` and the step's `turnId` / `speechId`: turns and speeches at debug, each turn's
 * metrics at info, a lost recognition stream at warn, errors at warn (retryable) or error with
 * their code, source and the messages of their causes (see {@link voxErrorLogLine}). No conversation text: transcripts and
 * replies stay out of logs. Stops when the session closes; returns a function that stops sooner.
 *
 * @example
 * ```ts
 * logSession(session, pino());
 * ```
 */
export function logSession(
  session: VoiceSession,
  logger: Logger,
  options: LogSessionOptions = {},
): () => void {
  const log = childLogger(logger, { sessionId: session.id });
  const logErrors = options.errors !== false;
  const subscription = session.events$.subscribe((event) => logEvent(log, event, logErrors));
  return () => subscription.unsubscribe();
}

function logEvent(log: Logger, event: SessionEvent, logErrors: boolean): void {
  switch (event.type) {
    case 'user-turn':
      log.debug({ turnId: event.turnId, chars: event.text.length }, 'user turn');
      return;
    case 'speech-start':
      log.debug({ turnId: event.turnId, speechId: event.speechId }, 'agent speech started');
      return;
    case 'control':
      if (event.control.type === 'interrupt')
        log.debug(
          { speechId: event.control.speechId, source: event.control.source },
          'agent speech interrupted',
        );
      return;
    case 'speech-end':
      log.debug(
        {
          turnId: event.turnId,
          speechId: event.speechId,
          interrupted: event.interrupted,
          playedMs: Math.round(event.playedMs),
          heardChars: event.heardText.length,
        },
        'agent speech ended',
      );
      return;
    case 'tool-result':
      log.debug(
        { turnId: event.turnId, toolCallId: event.toolCallId, tool: event.name, isError: event.isError },
        'tool finished',
      );
      return;
    case 'metrics':
      log.info({ ...event.metrics }, 'turn metrics');
      return;
    case 'recognition-lost':
      log.warn(
        {
          provider: event.provider,
          reason: event.reason,
          consecutiveFailures: event.consecutiveFailures,
          retryInMs: event.retryInMs,
        },
        'recognition stream lost',
      );
      return;
    case 'error': {
      if (!logErrors) return;
      const { level, fields, text } = voxErrorLogLine(event.error);
      log[level](
        { ...(event.turnId === undefined ? {} : { turnId: event.turnId }), ...fields },
        `session error: ${text}`,
      );
      return;
    }
    case 'closed':
      log.debug({ reason: event.reason }, 'session closed');
      return;
    default:
      return;
  }
}
