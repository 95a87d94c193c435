import { childLogger, describeCauses, type Logger, RateLimiter, type VoxError } from '@voxduplex/core';
import type { CallStart } from '../stream/media-stream';
import type { PhoneAgentHooks, PhoneCallIdentity } from './options';

type Refusal = Parameters<NonNullable<PhoneAgentHooks['refused']>>[0];

/**
 * Tells the server's owner what happens to calls: one log line and one hook call per step.
 * Refusals and dropped messages at warn, failures at warn (retryable) or error, the rest at info.
 * Dropped-message lines are themselves rate-limited (5, then one a second, server-wide), so a flood
 * cannot flood the log. Custom parameters and headers are never logged (they may hold tokens).
 */
export class CallReporter<I extends PhoneCallIdentity> {
  readonly #logger: Logger;
  readonly #dropLines = new RateLimiter(1, 5);
  #unloggedDrops = 0;

  constructor(
    logger: Logger,
    readonly hooks: PhoneAgentHooks<I>,
    carrier: string,
  ) {
    this.#logger = childLogger(logger, { carrier });
  }

  /** An inbound message was dropped; the call goes on. */
  dropped(callId: string | undefined, problem: string, message: string): void {
    if (!this.#dropLines.take()) {
      this.#unloggedDrops++;
      return;
    }
    const skipped = this.#unloggedDrops;
    this.#unloggedDrops = 0;
    this.#logger.warn(
      { callId, problem, ...(skipped > 0 ? { alsoDropped: skipped } : {}) },
      `phone stream message dropped (${problem}): ${message}`,
    );
  }

  /** The carrier reported a problem with the stream (Telnyx `error`); the call goes on. */
  carrierError(callId: string | undefined, code: string, message: string): void {
    this.#logger.warn({ callId, code }, `carrier reported a stream error (${code}): ${message}`);
  }

  refused(event: Refusal): void {
    const { error, ...fields } = event;
    this.#logger.warn(
      error === undefined ? fields : { ...fields, err: error },
      `phone call refused (${event.reason}): ${event.message}`,
    );
    this.#call('refused', () => this.hooks.refused?.(event));
  }

  callStarted(sessionId: string, identity: I, call: CallStart): void {
    this.#logger.info({ callId: call.callId, sessionId, identityId: identity.id }, 'phone call started');
    this.#call('callStarted', () =>
      this.hooks.callStarted?.({ callId: call.callId, sessionId, identity, call }),
    );
  }

  callEnded(callId: string, sessionId: string, reason: string): void {
    this.#logger.info({ callId, sessionId, reason }, 'phone call ended');
    this.#call('callEnded', () => this.hooks.callEnded?.({ callId, sessionId, reason }));
  }

  sessionError(callId: string, sessionId: string | undefined, error: VoxError, turnId?: string): void {
    const fields = {
      callId,
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(turnId === undefined ? {} : { turnId }),
      code: error.code,
      source: error.source,
      ...(error.cause === undefined ? {} : { cause: describeCauses(error.cause) }),
    };
    const what = sessionId === undefined ? 'createSession failed' : 'phone session error';
    const line = `${what}: ${error.code} from ${error.source ?? 'unknown source'}: ${error.message}`;
    if (error.retryable) this.#logger.warn(fields, line);
    else this.#logger.error(fields, line);
    this.#call('sessionError', () =>
      this.hooks.sessionError?.({ callId, sessionId, error, ...(turnId === undefined ? {} : { turnId }) }),
    );
  }

  #call(hook: keyof PhoneAgentHooks<I>, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#logger.error({ hook, err: error }, `phone agent hook '${hook}' threw`);
    }
  }
}
