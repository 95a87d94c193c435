import {
  AudioFormatError,
  consoleLogger,
  logSession,
  ProtocolError,
  RateLimiter,
  redactingLogger,
  SessionRegistry,
  toVoxError,
} from '@voxduplex/core';
import type { Namespace, Server, Socket } from 'socket.io';
import { toErrorMessage } from '../protocol/wire-error';
import { Admission } from './admission';
import {
  type ClientMessage,
  echoedEventName,
  type InboundProblem,
  isProblem,
  parseAudioMessage,
  parseClientMessage,
} from './inbound';
import { LifecycleReporter } from './lifecycle-reporter';
import { resolveTransportLimits } from './limits';
import type { AttachVoiceAgentOptions, TransportStats, VoiceAgentIdentity } from './options';
import { ResumeTokens } from './resume-tokens';
import { toSessionErrorMessage } from './session-error-message';
import { type LinkHost, SessionLink } from './session-link';
import { acceptsCompactAudio } from './voice-parser';

/** What {@link attachVoiceAgent} returns. */
export interface VoiceAgentServer {
  /** Live sessions by sessionId (suspended ones included until their resume window ends). */
  readonly sessions: SessionRegistry;
  stats(): TransportStats;
  /** Closes every session (clients get `closed`), disconnects every voice socket, refuses new ones. */
  close(reason?: string): void;
}

const MAX_PENDING_MESSAGES = 64;

/**
 * Serves voice sessions on a Socket.IO server or namespace: authenticates each handshake in a
 * namespace middleware (before any session cost), gives every socket its own session in a
 * {@link SessionRegistry}, validates every inbound message, applies the limits, and keeps a
 * dropped client's session suspended for `resumeWindowMs`. Refusals and failures are logged
 * (`logger`, default warn and error to the console) and reported to `hooks`.
 *
 * @throws ConfigError at once when `options` has neither `authenticate` nor
 *   `allowAnonymous: true` (or both), or invalid `limits`: a server that would refuse every
 *   client fails at start-up instead.
 *
 * @example
 * ```ts
 * const io = new Server(httpServer, voiceServerOptions());
 * attachVoiceAgent(io.of('/voice'), {
 *   authenticate: async ({ auth }) => verifyJwt(auth.token), // → { id } or null
 *   createSession: () => createVoiceSession({ stt, llm, tts }),
 * });
 * ```
 */
export function attachVoiceAgent<I extends VoiceAgentIdentity>(
  target: Server | Namespace,
  options: AttachVoiceAgentOptions<I>,
): VoiceAgentServer {
  const limits = resolveTransportLimits(options.limits);
  const resumeWindowMs = options.resumeWindowMs ?? 30_000;
  const inputSampleRate = options.inputSampleRate ?? 16_000;
  const sessions = new SessionRegistry();
  const tokens = new ResumeTokens();
  const links = new Map<string, SessionLink>();
  const sockets = new Set<Socket>();
  const counters = {
    refusedConnections: 0,
    rejectedMessages: 0,
    droppedAudioChunks: 0,
    droppedAudioMs: 0,
    resumedSessions: 0,
  };

  const reporter = new LifecycleReporter<I>(
    // Vendor error text can quote the server's keys: every line is redacted on its way out.
    redactingLogger(options.logger ?? consoleLogger('warn')),
    options.hooks ?? {},
    '_parser' in target ? '/' : target.name,
  );
  let isClosed = false;
  // A server that names no way in throws here, before anything is attached to `target`.
  const admission = new Admission<I>(options, {
    reporter,
    tokens,
    isClosed: () => isClosed,
    hasSession: (sessionId) => links.has(sessionId),
    onRefused: () => counters.refusedConnections++,
  });

  const host: LinkHost = {
    limits,
    inputSampleRate,
    resumeWindowMs,
    compactAudio: acceptsCompactAudio('_parser' in target ? target._parser : target.server._parser),
    issueToken: (sessionId, identityId) => tokens.issue(sessionId, admission.tokenOwner(identityId)),
    onRejected: () => counters.rejectedMessages++,
    onDropped: (durationMs) => {
      counters.droppedAudioChunks++;
      counters.droppedAudioMs += durationMs;
    },
    onClosed: (link, reason) => {
      tokens.revoke(link.sessionId);
      if (links.get(link.sessionId) === link) links.delete(link.sessionId);
      sessions.remove(link.sessionId, 'closed');
      reporter.sessionEnded(link.sessionId, link.identityId, reason);
    },
    onSessionError: (link, error, turnId) =>
      reporter.sessionError(link.sessionId, link.identityId, error, turnId),
  };

  target.use(admission.middleware);

  target.on('connection', (socket: Socket) => {
    sockets.add(socket);
    const identity = socket.data.voiceIdentity as I;
    const limiter = new RateLimiter(limits.maxMessagesPerSecond, limits.messageBurst);
    let link: SessionLink | undefined;
    let isGone = false;
    let lastRateNoticeMs = Number.NEGATIVE_INFINITY;
    // Messages that arrive while the session is being created wait here, bounded.
    let pending: { message: ClientMessage; event: string }[] | undefined = [];
    let pendingAudioMs = 0;

    const rejectEarly = (event: string, problem: InboundProblem) => {
      counters.rejectedMessages++;
      socket.emit('error', toErrorMessage(problem.error, problem.reason, { event }));
    };

    socket.use((packet, _next) => {
      // Every packet stops here: nothing reaches Socket.IO's own handlers unvalidated.
      const event = packet[0];
      if (!limiter.take()) {
        counters.rejectedMessages++;
        const nowMs = performance.now();
        if (nowMs - lastRateNoticeMs >= 1000) {
          lastRateNoticeMs = nowMs;
          socket.emit(
            'error',
            toErrorMessage(
              toVoxErrorProtocol('message rate above the limit; message dropped'),
              'rate_limited',
              {
                event: echoedEventName(event),
              },
            ),
          );
        }
        return;
      }
      // Audio, 50 times a second, skips the generic parser (and the copy of the arguments).
      const parsed =
        event === 'audio'
          ? parseAudioMessage(packet[1], limits.maxFrameBytes)
          : parseClientMessage(event, packet.slice(1), limits.maxFrameBytes);
      if (isProblem(parsed)) return rejectEarly(echoedEventName(event), parsed);
      if (link) return link.handle(socket, parsed);
      if (!pending) return;
      if (parsed.type === 'audio') {
        // Measured at the expected rate: the budget bounds memory, and a frame claiming a bogus
        // rate (0 Hz would make it infinite) is judged at bind like any other, not as overflow.
        const ms = (parsed.frame.samples.length / inputSampleRate) * 1000;
        if (pendingAudioMs + ms > limits.maxBufferedInputMs)
          return rejectEarly('audio', {
            reason: 'input_overflow',
            error: new AudioFormatError('audio beyond maxBufferedInputMs before the session was ready', {
              source: 'transport:socketio',
            }),
          });
        pendingAudioMs += ms;
      } else if (pending.length >= MAX_PENDING_MESSAGES)
        return rejectEarly(parsed.type, {
          reason: 'not_ready',
          error: toVoxErrorProtocol('too many messages before the session was ready'),
        });
      pending.push({ message: parsed, event: parsed.type });
    });

    socket.on('disconnect', (reason) => {
      isGone = true;
      sockets.delete(socket);
      pending = undefined;
      // `client namespace disconnect`: the client called disconnect(), it is not coming back.
      if (link && link.socket === socket)
        link.detach(`disconnected: ${reason}`, reason !== 'client namespace disconnect');
    });

    const bind = (bound: SessionLink, resumed: boolean) => {
      link = bound;
      if (resumed) {
        counters.resumedSessions++;
        reporter.sessionResumed(socket.id, bound.sessionId, bound.identityId);
        if (bound.socket) bound.takeOver(socket);
        else bound.attach(socket, true);
      } else bound.attach(socket, false);
      const queued = pending ?? [];
      pending = undefined;
      for (const { message } of queued) bound.handle(socket, message);
    };

    const resumeSessionId = socket.data.voiceResumeSessionId as string | undefined;
    const resumable = resumeSessionId === undefined ? undefined : links.get(resumeSessionId);
    if (resumable && !resumable.session.isClosed) return bind(resumable, true);

    void (async () => {
      try {
        const session = await options.createSession({
          identity,
          handshake: socket.handshake,
          socketId: socket.id,
        });
        if (isGone) {
          session.close('disconnected before ready');
          return;
        }
        // Before the link exists, so no error or end of this session can be reported ahead of it.
        reporter.sessionStarted(socket.id, session.id, identity);
        const sessionLog = reporter.sessionLogger({
          socketId: socket.id,
          sessionId: session.id,
          identityId: identity.id,
        });
        logSession(session, sessionLog, { errors: false });
        const created = new SessionLink(session, identity.id, host);
        links.set(created.sessionId, created);
        sessions.add(created.sessionId, session);
        bind(created, false);
      } catch (error) {
        const failure = toVoxError(error, 'transport:createSession');
        reporter.sessionError(undefined, identity.id, failure);
        if (isGone) return;
        socket.emit('error', toSessionErrorMessage(failure));
        socket.disconnect(true);
      }
    })();
  });

  return {
    sessions,
    stats: () => ({
      connectedSockets: sockets.size,
      sessions: sessions.size,
      suspendedSessions: [...links.values()].filter((l) => l.isSuspended).length,
      ...counters,
    }),
    close: (reason = 'server closing') => {
      isClosed = true;
      sessions.closeAll(reason);
      for (const socket of sockets) socket.disconnect(true);
    },
  };
}

function toVoxErrorProtocol(message: string): ProtocolError {
  return new ProtocolError(message, { source: 'transport:socketio' });
}
