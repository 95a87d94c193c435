import { ConfigError } from '@voxduplex/core';
import type { Socket } from 'socket.io';
import { handshakeAuthSchema } from '../protocol/client-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import type { ConnectRefusalReason, ResumeRefusal } from '../protocol/wire-error';
import type { LifecycleReporter } from './lifecycle-reporter';
import type { VoiceAgentAccess, VoiceAgentIdentity } from './options';
import { sha256 } from './resume-token';
import type { ResumeOutcome, SessionKeeper } from './session-keeper';
import type { SessionLink } from './session-link';

/** What {@link Admission} needs from its server. */
export interface AdmissionHost<I extends VoiceAgentIdentity> {
  readonly reporter: LifecycleReporter<I>;
  /** Spends resume tokens and says where they lead. */
  readonly keeper: SessionKeeper<SessionLink>;
  /** The server was closed: every handshake is refused. */
  isClosed(): boolean;
  /** Counts a refused handshake (`stats().refusedConnections`). */
  onRefused(): void;
}

/** What the client is told (one message for every way a token can be wrong: it learns nothing). */
const RESUME_MESSAGES: Record<ResumeRefusal, string> = {
  resume_unknown: 'resume token unknown, used, expired or not yours',
  resume_unavailable: 'the session store is unavailable; start a new session',
  snapshot_incompatible: 'the session was saved by an incompatible server version',
};

/** Whom an anonymous client's resume token is bound to: the token alone is the credential. */
const ANONYMOUS_TOKEN_OWNER = 'anonymous';

/**
 * Who may connect: the namespace middleware that checks every handshake before anything is
 * spent on it (protocol, `authenticate` or `allowAnonymous`, resume token) and refuses with a
 * typed `connect_error` reason. Every refusal is reported with why (the log line says more than
 * the client is told); an exception thrown by `authenticate` is reported with it, not swallowed.
 *
 * On success the socket carries `data.voiceIdentity` and, for a resume, `data.voiceResume` (a
 * {@link ResumeOutcome}: a session on this node, or a snapshot to rebuild one from).
 */
export class Admission<I extends VoiceAgentIdentity> {
  /** Every client is let in as `anonymous-<socket id>` (`allowAnonymous: true`). */
  readonly isAnonymous: boolean;

  /** @throws ConfigError when `access` names no way in (every client would be refused) or two. */
  constructor(
    readonly access: VoiceAgentAccess<I>,
    readonly host: AdmissionHost<I>,
  ) {
    this.isAnonymous = checkAccess(access);
  }

  /** Whom resume tokens of `identityId`'s sessions are bound to, hashed as the store keeps it. */
  ownerHash(identityId: string): string {
    return sha256(this.isAnonymous ? ANONYMOUS_TOKEN_OWNER : identityId);
  }

  /** The Socket.IO namespace middleware (`namespace.use(admission.middleware)`). */
  readonly middleware = async (socket: Socket, next: (error?: Error) => void): Promise<void> => {
    const { reporter, keeper } = this.host;
    reporter.connected(socket.id, socket.handshake);
    // `message` goes to the client; `why` (and what was thrown) only to the log and hooks.
    const refuse = (
      reason: ConnectRefusalReason,
      message: string,
      why = message,
      error?: unknown,
      detail?: ResumeRefusal,
    ) => {
      this.host.onRefused();
      reporter.refused(socket.id, reason, why, error);
      const data = detail === undefined ? { reason, message } : { reason, message, detail };
      next(Object.assign(new Error(message), { data }));
    };
    if (this.host.isClosed()) return refuse('unauthorized', 'voice agent server closed');
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
    if (!auth.success) return refuse('protocol_mismatch', 'invalid handshake auth fields');
    if (auth.data.protocol !== undefined && auth.data.protocol !== PROTOCOL_VERSION)
      return refuse(
        'protocol_mismatch',
        `server speaks protocol ${PROTOCOL_VERSION}`,
        `client speaks protocol ${auth.data.protocol}, server ${PROTOCOL_VERSION}`,
      );
    const identified = await this.#identify(socket);
    if ('problem' in identified)
      return refuse('unauthorized', 'authentication failed', identified.problem, identified.error);
    const { identity } = identified;
    socket.data.voiceIdentity = identity;
    reporter.authenticated(socket.id, identity);
    if (auth.data.resumeToken !== undefined) {
      const outcome = await keeper.resume(auth.data.resumeToken, this.ownerHash(identity.id));
      if (outcome.kind === 'refused')
        return refuse(
          'resume_refused',
          RESUME_MESSAGES[outcome.detail],
          `resume refused (${outcome.detail}): ${outcome.why}`,
          undefined,
          outcome.detail,
        );
      socket.data.voiceResume = outcome satisfies ResumeOutcome<SessionLink>;
    }
    next();
  };

  /** Who the handshake is, or why not (`error`: what `authenticate` threw or rejected with). */
  async #identify(socket: Socket): Promise<{ identity: I } | { problem: string; error?: unknown }> {
    const { authenticate } = this.access;
    // `allowAnonymous`: the identity documented on the option, unique per connection.
    if (!authenticate) return { identity: { id: `anonymous-${socket.id}` } as I };
    let identity: I | null | false | undefined;
    try {
      identity = await authenticate(socket.handshake);
    } catch (error) {
      return { problem: 'authenticate threw', error };
    }
    if (!identity) return { problem: `authenticate returned ${String(identity)}` };
    if (typeof identity.id !== 'string')
      return {
        problem: `authenticate returned an identity whose id is a ${typeof identity.id}, not a string`,
      };
    return { identity };
  }
}

/** Whether clients get in anonymously; throws when the options name no way in, or two. */
function checkAccess(access: VoiceAgentAccess<VoiceAgentIdentity>): boolean {
  if (access.allowAnonymous === true && access.authenticate !== undefined)
    throw new ConfigError('Invalid attachVoiceAgent options', [
      'authenticate and allowAnonymous: true are both given; keep one',
    ]);
  if (access.allowAnonymous === true) return true;
  if (typeof access.authenticate !== 'function')
    throw new ConfigError('Invalid attachVoiceAgent options', [
      'authenticate: required, a function (handshake) => ({ id }) or null to refuse; ' +
        "or pass allowAnonymous: true to let every client in as 'anonymous-<socket id>' (demos only)",
    ]);
  return false;
}
