import { childLogger, type Logger, type VoiceSession, type VoxError, voxErrorLogLine } from '@voxduplex/core';
import type { ConnectRefusalReason } from '../protocol/wire-error';
import type { Handshake, VoiceAgentHooks, VoiceAgentIdentity } from './options';

/**
 * Tells the server's owner what happens to connections and sessions: one line to the logger and
 * one call of the matching hook per step. Refusals and failures are logged at warn and error
 * (the default logger prints them), the rest at info and debug. A session error is logged by
 * code, source, message and the messages of its causes; the handshake (headers, `auth`) and the
 * cause objects, which can carry credentials, are never logged. Hooks get the full error.
 */
export class LifecycleReporter<I extends VoiceAgentIdentity> {
  readonly #logger: Logger;

  /** The namespace's logger, for lines that are not a lifecycle step (the session store's). */
  get logger(): Logger {
    return this.#logger;
  }

  constructor(
    logger: Logger,
    readonly hooks: VoiceAgentHooks<I>,
    namespace: string,
  ) {
    this.#logger = childLogger(logger, { namespace });
  }

  connected(socketId: string, handshake: Handshake): void {
    this.#logger.debug({ socketId }, 'voice client connected');
    this.#call('connected', () => this.hooks.connected?.({ socketId, handshake }));
  }

  authenticated(socketId: string, identity: I): void {
    this.#logger.debug({ socketId, identityId: identity.id }, 'voice client authenticated');
    this.#call('authenticated', () => this.hooks.authenticated?.({ socketId, identity }));
  }

  /** `error`: what `authenticate` threw, logged whole (stack included) so the bug can be found. */
  refused(socketId: string, reason: ConnectRefusalReason, message: string, error?: unknown): void {
    const fields = error === undefined ? { socketId, reason } : { socketId, reason, err: error };
    this.#logger.warn(fields, `voice connection refused (${reason}): ${message}`);
    this.#call('refused', () =>
      this.hooks.refused?.(
        error === undefined ? { socketId, reason, message } : { socketId, reason, message, error },
      ),
    );
  }

  /** `restored`: rebuilt here from another process's snapshot. */
  sessionStarted(socketId: string, sessionId: string, identity: I, restored = false): void {
    const fields = { socketId, sessionId, identityId: identity.id };
    this.#logger.info(
      fields,
      restored ? 'voice session restored from its snapshot' : 'voice session started',
    );
    this.#call('sessionStarted', () =>
      this.hooks.sessionStarted?.(
        restored ? { socketId, sessionId, identity, restored } : { socketId, sessionId, identity },
      ),
    );
  }

  /** The app's restorable settings for a snapshot; `{}` (and an error line) when its function throws. */
  snapshotMetadata(
    link: { readonly session: VoiceSession; readonly identityId: string },
    metadata: ((event: { session: VoiceSession; identityId: string }) => Record<string, unknown>) | undefined,
  ): Record<string, unknown> {
    if (!metadata) return {};
    try {
      return metadata({ session: link.session, identityId: link.identityId }) ?? {};
    } catch (error) {
      this.#logger.error(
        { sessionId: link.session.id, err: error },
        'snapshotMetadata threw; saved without it',
      );
      return {};
    }
  }

  /** A dropped client came back to its session (logged only: the session did not start again). */
  sessionResumed(socketId: string, sessionId: string, identityId: string): void {
    this.#logger.info({ socketId, sessionId, identityId }, 'voice session resumed');
  }

  sessionEnded(sessionId: string, identityId: string, reason: string): void {
    this.#logger.info({ sessionId, identityId, reason }, 'voice session ended');
    this.#call('sessionEnded', () => this.hooks.sessionEnded?.({ sessionId, identityId, reason }));
  }

  /** `sessionId` undefined: `createSession` itself failed. */
  sessionError(sessionId: string | undefined, identityId: string, error: VoxError, turnId?: string): void {
    const { level, fields, text } = voxErrorLogLine(error);
    const what = sessionId === undefined ? 'createSession failed' : 'voice session error';
    this.#logger[level](
      {
        ...(sessionId === undefined ? {} : { sessionId }),
        identityId,
        ...(turnId === undefined ? {} : { turnId }),
        ...fields,
      },
      `${what}: ${text}`,
    );
    this.#call('sessionError', () =>
      this.hooks.sessionError?.(
        turnId === undefined ? { sessionId, identityId, error } : { sessionId, identityId, error, turnId },
      ),
    );
  }

  /** The logger of one session's lines (`logSession`), bound to its ids. */
  sessionLogger(fields: { socketId: string; sessionId: string; identityId: string }): Logger {
    return childLogger(this.#logger, fields);
  }

  #call(hook: keyof VoiceAgentHooks<I>, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#logger.error({ hook, err: error }, `voice agent hook '${hook}' threw`);
    }
  }
}
