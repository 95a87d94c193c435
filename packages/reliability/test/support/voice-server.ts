import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createVoiceSession,
  type LlmProvider,
  type SttProvider,
  type TtsProvider,
  type VoiceSessionConfig,
} from '@voxduplex/core';
import {
  type AttachVoiceAgentOptions,
  attachVoiceAgent,
  type TransportLimits,
  type VoiceAgentIdentity,
  voiceServerOptions,
} from '@voxduplex/transport-socketio';
import { Server, type ServerOptions } from 'socket.io';
import { CountedProviders } from './counted-providers';
import { tapServerOutput } from './wire-tap';

/** The handshake `auth` a well-behaved test client sends: `{ token: 'good', user? }`. */
export const GOOD_TOKEN = 'good';

export interface VoiceServerOptions {
  /** Replaces the default check (`auth.token === 'good'`, identity `auth.user` or `'alice'`). */
  readonly authenticate?: AttachVoiceAgentOptions['authenticate'];
  readonly limits?: TransportLimits;
  readonly resumeWindowMs?: number;
  /** Extra Socket.IO server options (`cors`, `allowRequest`…), merged over `voiceServerOptions()`. */
  readonly socketIo?: Partial<ServerOptions>;
  /** Which providers a session gets, by identity; default one shared {@link CountedProviders}. */
  readonly providersFor?: (identityId: string) => SessionProviders;
  /** Runs first in `createSession`; throw to make the session factory fail. */
  readonly beforeCreate?: (identityId: string) => void;
  readonly session?: Partial<VoiceSessionConfig>;
  /** Makes `createSession` resolve this much later, so messages arrive before `ready`. */
  readonly createDelayMs?: number;
  /** Where the server logs (default: warn and error to the console). */
  readonly logger?: AttachVoiceAgentOptions['logger'];
}

/** The three providers of one session. */
export interface SessionProviders {
  readonly stt: SttProvider;
  readonly llm: LlmProvider;
  readonly tts: TtsProvider;
}

/**
 * A real Socket.IO server on 127.0.0.1, port 0, serving `/voice` through `attachVoiceAgent`
 * with counted fake providers, a tap on every outbound packet, and counters of what the
 * handshake path called. `close()` ends sessions, sockets and the HTTP server.
 */
export async function startVoiceServer(options: VoiceServerOptions = {}) {
  const http = createServer();
  const io = new Server(http, { ...voiceServerOptions(options.limits), ...options.socketIo });
  const wire = tapServerOutput(io);
  const providers = new CountedProviders();
  const providersFor = options.providersFor ?? (() => providers);
  const calls = { authenticate: 0, createSession: 0 };
  const authenticate = options.authenticate ?? defaultAuthenticate;
  const agent = attachVoiceAgent<VoiceAgentIdentity>(io.of('/voice'), {
    authenticate: (handshake) => {
      calls.authenticate++;
      return authenticate(handshake);
    },
    createSession: async ({ identity }) => {
      calls.createSession++;
      options.beforeCreate?.(identity.id);
      if (options.createDelayMs) await new Promise((resolve) => setTimeout(resolve, options.createDelayMs));
      const { stt, llm, tts } = providersFor(identity.id);
      return createVoiceSession({
        stt,
        llm,
        tts,
        turnDetection: { minEndpointDelayMs: 0 },
        ...options.session,
      });
    },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.resumeWindowMs === undefined ? {} : { resumeWindowMs: options.resumeWindowMs }),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    io,
    agent,
    providers,
    calls,
    wire,
    url: `http://127.0.0.1:${port}/voice`,
    /** Engine.io connections still open on the server (every namespace). */
    openConnections: () => io.engine.clientsCount,
    async close() {
      agent.close();
      await io.close();
    },
  };
}

export type VoiceServer = Awaited<ReturnType<typeof startVoiceServer>>;

function defaultAuthenticate({ auth }: { auth: Record<string, unknown> }): VoiceAgentIdentity | null {
  if (auth.token !== GOOD_TOKEN) return null;
  return { id: typeof auth.user === 'string' ? auth.user : 'alice' };
}
