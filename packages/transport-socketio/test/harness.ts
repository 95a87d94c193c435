import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceSession, type VoiceSessionConfig } from '@voxduplex/core';
import {
  FakeLlm,
  type FakeLlmOptions,
  FakeStt,
  type FakeSttOptions,
  FakeTts,
  type FakeTtsOptions,
} from '@voxduplex/core/testing';
import { Server } from 'socket.io';
import { io as connectRaw, type Socket as RawSocket } from 'socket.io-client';
import {
  type AttachVoiceAgentOptions,
  attachVoiceAgent,
  type ErrorMessage,
  encodeMicFrame,
  type TransportLimits,
  type VoiceAgentServerOptions,
  voiceServerOptions,
} from '../src/index';

export interface TestServerOptions {
  limits?: TransportLimits;
  resumeWindowMs?: number;
  stt?: FakeSttOptions;
  llm?: FakeLlmOptions;
  tts?: FakeTtsOptions;
  session?: Partial<VoiceSessionConfig>;
  /** Makes `createSession` resolve this much later (a slow session factory). */
  createDelayMs?: number;
  /** More server options (a shared `sessionStore`, `snapshotKey`…). */
  server?: Partial<VoiceAgentServerOptions<{ id: string }>>;
  /** `createSession` ignores `context.restored` (an app that never rebuilds sessions). */
  ignoreRestored?: boolean;
}

/** A real Socket.IO server on 127.0.0.1, port 0, serving `/voice` with fake providers. */
export async function startTestServer(options: TestServerOptions = {}) {
  const http = createServer();
  const io = new Server(http, voiceServerOptions(options.limits));
  const stt = new FakeStt(options.stt);
  const llm = new FakeLlm(options.llm);
  const tts = new FakeTts(options.tts);
  const calls = { authenticate: 0, createSession: 0 };
  const attachOptions: AttachVoiceAgentOptions<{ id: string }> = {
    authenticate: ({ auth }) => {
      calls.authenticate++;
      return auth.token === 'good' ? { id: typeof auth.user === 'string' ? auth.user : 'alice' } : null;
    },
    createSession: async ({ restored }) => {
      calls.createSession++;
      if (options.createDelayMs) await new Promise((resolve) => setTimeout(resolve, options.createDelayMs));
      return createVoiceSession({
        stt,
        llm,
        tts,
        turnDetection: { minEndpointDelayMs: 0 },
        ...options.session,
        ...(options.ignoreRestored ? {} : restored?.config),
      });
    },
    ...options.server,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.resumeWindowMs === undefined ? {} : { resumeWindowMs: options.resumeWindowMs }),
  };
  const agent = attachVoiceAgent(io.of('/voice'), attachOptions);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const openStreams = () => stt.streams.open + llm.streams.open + tts.streams.open;
  return {
    io,
    agent,
    stt,
    llm,
    tts,
    calls,
    openStreams,
    url: `http://127.0.0.1:${port}/voice`,
    /** Drops every voice connection at the transport, as a network failure would. */
    dropConnections() {
      for (const socket of io.of('/voice').sockets.values()) socket.conn.close();
    },
    async close() {
      agent.close();
      await io.close();
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** A bare Socket.IO client, for sending what a well-behaved client never would. */
export function rawClient(url: string, auth: Record<string, unknown> = { token: 'good' }): RawSocket {
  return connectRaw(url, { transports: ['websocket'], reconnection: false, auth, forceNew: true });
}

/** Resolves with the next `event` payload (all arguments when there are several). */
export function nextEvent<T = unknown>(
  socket: { once(event: string, fn: (...args: never[]) => void): unknown },
  event: string,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (...args: never[]) => {
      clearTimeout(timer);
      resolve((args.length > 1 ? args : args[0]) as T);
    });
  });
}

/** Collects every `error` a raw socket receives. */
export function collectErrors(socket: RawSocket): ErrorMessage[] {
  const errors: ErrorMessage[] = [];
  socket.on('error' as never, (message: ErrorMessage) => {
    errors.push(message);
  });
  return errors;
}

/** Polls until `condition` holds (no timing claim: only a bound on how long to wait). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `count` frames of 20 ms silence at 16 kHz, numbered from `firstSeq`. */
export function silentFrames(count: number, firstSeq = 0, sampleRate = 16000): ArrayBuffer[] {
  return Array.from({ length: count }, (_, i) =>
    encodeMicFrame(new Int16Array(sampleRate / 50), firstSeq + i, sampleRate),
  );
}
