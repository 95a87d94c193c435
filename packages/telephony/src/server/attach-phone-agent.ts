import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { ConfigError, consoleLogger, SessionRegistry } from '@voxduplex/core';
import { WebSocketServer } from 'ws';
import { twilioSerializer } from '../twilio/twilio-serializer';
import { CallReporter } from './call-reporter';
import { resolvePhoneLimits } from './limits';
import type { AttachPhoneAgentOptions, PhoneAgentStats, PhoneCallIdentity } from './options';
import { PhoneCall, type PhoneCallHost } from './phone-call';

/** What {@link attachPhoneAgent} returns. */
export interface PhoneAgentServer {
  /** Live sessions by call id. */
  readonly calls: SessionRegistry;
  stats(): PhoneAgentStats;
  /**
   * Ends every call (sessions closed, streams closed), stops answering upgrades on the path and
   * leaves the HTTP server to its owner. Idempotent.
   */
  close(reason?: string): void;
}

/** Largest WebSocket message `ws` accepts at all (bigger ones close the socket); `limits.maxMessageBytes` drops smaller ones. */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Serves phone calls on any Node HTTP(S) server (Express's, Nest's, a plain one): WebSocket
 * upgrades on `path` become carrier media streams (Twilio Media Streams by default, Telnyx media
 * streaming with `serializer: telnyxSerializer()`), each call
 * its own session. Upgrades on other paths are left to their owners (Socket.IO can share the
 * server). See {@link PhoneCall} for what a call does with its stream.
 *
 * @throws ConfigError at once when `options` has neither `authenticate` nor
 *   `allowAnonymous: true` (or both), or invalid `limits`.
 *
 * @example
 * ```ts
 * const server = app.listen(3000);
 * attachPhoneAgent(server, {
 *   authenticate: (call) => (call.customParameters.tenant ? { id: call.customParameters.tenant } : null),
 *   createSession: () => createVoiceSession({ stt, llm, tts, instructions: 'You answer the phone.' }),
 * });
 * ```
 */
export function attachPhoneAgent<I extends PhoneCallIdentity>(
  server: HttpServer | HttpsServer,
  options: AttachPhoneAgentOptions<I>,
): PhoneAgentServer {
  checkAccess(options);
  const serializer = options.serializer ?? twilioSerializer();
  const path = options.path ?? `/${serializer.carrier}/stream`;
  const calls = new SessionRegistry();
  const open = new Set<PhoneCall<I>>();
  const counters = {
    refusedCalls: 0,
    rejectedMessages: 0,
    framesSent: 0,
    lateFrames: 0,
    clears: 0,
    callerFramesReordered: 0,
    callerFramesDropped: 0,
    callerFramesFilled: 0,
  };
  const host: PhoneCallHost<I> = {
    options,
    serializer,
    limits: resolvePhoneLimits(options.limits),
    inputSampleRate: options.inputSampleRate ?? 16_000,
    leadMs: options.leadMs ?? 150,
    reporter: new CallReporter<I>(
      options.logger ?? consoleLogger('warn'),
      options.hooks ?? {},
      serializer.carrier,
    ),
    onRejected: () => counters.rejectedMessages++,
    onRefused: () => counters.refusedCalls++,
    onLive: (callId, session) => calls.add(callId, session),
    onEnded: (call, playout, reorder) => {
      open.delete(call);
      counters.framesSent += playout.framesSent;
      counters.lateFrames += playout.lateFrames;
      counters.clears += playout.clears;
      counters.callerFramesReordered += reorder.reordered;
      counters.callerFramesDropped += reorder.late + reorder.duplicates;
      counters.callerFramesFilled += reorder.filled;
    },
  };
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  let isClosed = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return;
    if (isClosed) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (isClosed) return ws.close(1001, 'server closing');
      open.add(new PhoneCall(ws, request, host));
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    calls,
    stats: () => {
      const live = [...open];
      const sum = (field: keyof typeof counters, of: (call: PhoneCall<I>) => number) =>
        counters[field] + live.reduce((total, call) => total + of(call), 0);
      return {
        activeCalls: open.size,
        refusedCalls: counters.refusedCalls,
        rejectedMessages: counters.rejectedMessages,
        framesSent: sum('framesSent', (call) => call.playoutStats.framesSent),
        lateFrames: sum('lateFrames', (call) => call.playoutStats.lateFrames),
        clears: sum('clears', (call) => call.playoutStats.clears),
        callerFramesReordered: sum('callerFramesReordered', (call) => call.reorderStats.reordered),
        callerFramesDropped: sum(
          'callerFramesDropped',
          (call) => call.reorderStats.late + call.reorderStats.duplicates,
        ),
        callerFramesFilled: sum('callerFramesFilled', (call) => call.reorderStats.filled),
      };
    },
    close: (reason = 'server closing') => {
      if (isClosed) return;
      isClosed = true;
      server.off('upgrade', onUpgrade);
      for (const call of [...open]) call.end(reason, 1001);
      sockets.close();
    },
  };
}

function checkAccess(options: AttachPhoneAgentOptions<PhoneCallIdentity>): void {
  const hasAuthenticate = typeof options.authenticate === 'function';
  if (options.allowAnonymous === true && options.authenticate !== undefined)
    throw new ConfigError('Invalid attachPhoneAgent options', [
      'authenticate and allowAnonymous: true are both given; keep one',
    ]);
  if (options.allowAnonymous !== true && !hasAuthenticate)
    throw new ConfigError('Invalid attachPhoneAgent options', [
      'authenticate: required, a function (call, request) => ({ id }) or null to refuse; ' +
        "or pass allowAnonymous: true to answer every stream as 'anonymous-<call id>'",
    ]);
}
