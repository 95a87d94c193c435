import {
  AudioFormatError,
  consoleLogger,
  logSession,
  ProtocolError,
  RateLimiter,
  redactingLogger,
  SessionRegistry,
  toVoxError,
  type VoiceSession,
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
import { MemorySessionStore } from './memory-session-store';
import type { AttachVoiceAgentOptions, RestoredSession, TransportStats, VoiceAgentIdentity } from './options';
import { toSessionErrorMessage } from './session-error-message';
import { type ResumeOutcome, SessionKeeper } from './session-keeper';
import { type AttachKind, type LinkHost, SessionLink } from './session-link';
import { type SessionSnapshot, SnapshotCodec } from './session-snapshot';
import { SnapshotCipher } from './snapshot-cipher';
import { acceptsCompactAudio } from './voice-parser';

/** What {@link attachVoiceAgent} returns. */
export interface VoiceAgentServer {
  /** Live sessions by sessionId (suspended ones included until their resume window ends). */
  readonly sessions: SessionRegistry;
  stats(): TransportStats;
  /** Closes every session (clients get `closed`), disconnects every voice socket, refuses new ones. */
  close(reason?: string): void;
  /**
   * For a deploy or a scale-down: every session is saved to the session store as at a drop and
   * its client's connection cut (no `closed`), so each client reconnects and resumes on another
   * server process sharing the store; new connections are cut the same way. Resolves when every
   * session is saved (each write bounded by `storeTimeoutMs`) and closed here. With the default
   * memory store nothing survives the process: use `close()`.
   */
  handOff(): Promise<void>;
}

const MAX_PENDING_MESSAGES = 64;

/**
 * Serves voice sessions on a Socket.IO server or namespace: authenticates each handshake in a
 * namespace middleware (before any session cost), gives every socket its own session in a
 * {@link SessionRegistry}, validates every inbound message, applies the limits, and keeps a
 * dropped client's session suspended for `resumeWindowMs`. With a shared `sessionStore` a
 * client resumes on any process, and the clients of a process that died resume elsewhere with
 * their history through the last finished turn. Refusals and failures are logged (`logger`,
 * default warn and error to the console) and reported to `hooks`.
 *
 * @throws ConfigError at once when `options` has neither `authenticate` nor
 *   `allowAnonymous: true` (or both), invalid `limits`, or a `snapshotKey` that is not 32
 *   bytes: a server that would refuse every client fails at start-up instead.
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
  const storeTimeoutMs = options.storeTimeoutMs ?? 1000;
  const sessions = new SessionRegistry();
  const links = new Map<string, SessionLink>();
  const sockets = new Set<Socket>();
  const counters = {
    refusedConnections: 0,
    rejectedMessages: 0,
    droppedAudioChunks: 0,
    droppedAudioMs: 0,
    resumedSessions: 0,
    restoredSessions: 0,
  };

  const reporter = new LifecycleReporter<I>(
    // Vendor error text can quote the server's keys: every line is redacted on its way out.
    redactingLogger(options.logger ?? consoleLogger('warn')),
    options.hooks ?? {},
    '_parser' in target ? '/' : target.name,
  );
  // A bad key throws here, before anything is attached to `target`.
  const codec = new SnapshotCodec(options.snapshotKey ? new SnapshotCipher(options.snapshotKey) : undefined);
  const keeper = new SessionKeeper<SessionLink>({
    store: options.sessionStore ?? new MemorySessionStore(),
    codec,
    ttlMs: resumeWindowMs,
    timeoutMs: storeTimeoutMs,
    logger: reporter.logger,
  });
  let isClosed = false;
  let isHandingOff = false;
  // A server that names no way in throws here, before anything is attached to `target`.
  const admission = new Admission<I>(options, {
    reporter,
    keeper,
    isClosed: () => isClosed,
    onRefused: () => counters.refusedConnections++,
  });

  const host: LinkHost = {
    limits,
    inputSampleRate,
    resumeWindowMs,
    compactAudio: acceptsCompactAudio('_parser' in target ? target._parser : target.server._parser),
    keeper,
    snapshotMetadata: (link) => reporter.snapshotMetadata(link, options.snapshotMetadata),
    onRejected: () => counters.rejectedMessages++,
    onDropped: (durationMs) => {
      counters.droppedAudioChunks++;
      counters.droppedAudioMs += durationMs;
    },
    onClosed: (link, reason) => {
      if (links.get(link.sessionId) === link) links.delete(link.sessionId);
      sessions.remove(link.sessionId, 'closed');
      reporter.sessionEnded(link.sessionId, link.identityId, reason);
    },
    onSessionError: (link, error, turnId) =>
      reporter.sessionError(link.sessionId, link.identityId, error, turnId),
  };

  target.use((socket, next) => {
    // Handing off: a new connection is cut (not refused), so its client tries another server.
    if (isHandingOff) socket.conn.close();
    else next();
  });
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

    const bind = (bound: SessionLink, kind: AttachKind) => {
      link = bound;
      if (kind === 'resumed') {
        counters.resumedSessions++;
        reporter.sessionResumed(socket.id, bound.sessionId, bound.identityId);
        if (bound.socket) bound.takeOver(socket);
        else bound.attach(socket, kind);
      } else bound.attach(socket, kind);
      const queued = pending ?? [];
      pending = undefined;
      for (const { message } of queued) bound.handle(socket, message);
    };

    const resume = socket.data.voiceResume as ResumeOutcome<SessionLink> | undefined;
    if (resume?.kind === 'local' && !resume.link.session.isClosed) return bind(resume.link, 'resumed');
    const snapshot = resume?.kind === 'restore' ? resume.snapshot : undefined;

    void (async () => {
      try {
        const restored = snapshot ? toRestoredSession(snapshot) : undefined;
        const session = await options.createSession({
          identity,
          handshake: socket.handshake,
          socketId: socket.id,
          ...(restored ? { restored } : {}),
        });
        if (isGone) {
          session.close('disconnected before ready');
          return;
        }
        // The app rebuilt the conversation (same id) or started afresh: then the client is told so.
        const isRestored = resume?.kind === 'restore' && isRebuilt(session, resume.snapshot);
        if (restored && !isRestored)
          reporter.logger.warn(
            { socketId: socket.id, sessionId: session.id },
            `createSession ignored context.restored (session ${restored.sessionId}); the client starts afresh`,
          );
        // Before the link exists, so no error or end of this session can be reported ahead of it.
        reporter.sessionStarted(socket.id, session.id, identity, isRestored);
        const sessionLog = reporter.sessionLogger({
          socketId: socket.id,
          sessionId: session.id,
          identityId: identity.id,
        });
        logSession(session, sessionLog, { errors: false });
        const ownerHash = admission.ownerHash(identity.id);
        const created = isRestored
          ? new SessionLink(session, identity.id, host, keeper.newRecord(ownerHash, resume), resume.snapshot)
          : new SessionLink(session, identity.id, host, keeper.newRecord(ownerHash));
        links.set(created.sessionId, created);
        sessions.add(created.sessionId, session);
        if (isRestored) counters.restoredSessions++;
        if (isRestored) counters.resumedSessions++;
        bind(created, isRestored ? savedOnToKind(resume.snapshot) : 'new');
      } catch (error) {
        const failure = toVoxError(error, 'transport:createSession');
        reporter.sessionError(undefined, identity.id, failure);
        if (isGone) return;
        socket.emit('error', toSessionErrorMessage(failure));
        socket.disconnect(true);
      }
    })();
  });

  function close(reason = 'server closing'): void {
    isClosed = true;
    sessions.closeAll(reason);
    keeper.close();
    for (const socket of sockets) socket.disconnect(true);
  }

  return {
    sessions,
    stats: () => ({
      connectedSockets: sockets.size,
      sessions: sessions.size,
      suspendedSessions: [...links.values()].filter((l) => l.isSuspended).length,
      ...counters,
    }),
    close,
    handOff: async () => {
      // Nothing is saved without a resume window: there is nothing to hand off.
      if (!keeper.isEnabled) return close();
      isHandingOff = true;
      await Promise.all([...links.values()].map((link) => link.handOff()));
      keeper.close();
      isClosed = true;
      for (const socket of sockets) socket.conn.close();
    },
  };
}

/** What `createSession` is given to rebuild a session another process saved. */
function toRestoredSession(snapshot: SessionSnapshot): RestoredSession {
  return {
    sessionId: snapshot.sessionId,
    identityId: snapshot.identityId,
    history: snapshot.history,
    metadata: snapshot.metadata,
    savedOn: snapshot.savedOn === 'drop' ? 'drop' : 'checkpoint',
    savedAtMs: snapshot.savedAtMs,
    config: { id: snapshot.sessionId, history: [...snapshot.history] },
  };
}

/** The app built the session from the snapshot: same id and, at least, the saved history. */
function isRebuilt(session: VoiceSession, snapshot: SessionSnapshot): boolean {
  return session.id === snapshot.sessionId && session.history.length >= snapshot.history.length;
}

function savedOnToKind(snapshot: SessionSnapshot): AttachKind {
  return snapshot.savedOn === 'drop' ? 'drop' : 'checkpoint';
}

function toVoxErrorProtocol(message: string): ProtocolError {
  return new ProtocolError(message, { source: 'transport:socketio' });
}
