import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, createServer as createTcpServer, type Socket as TcpSocket } from 'node:net';
import { createVoiceSession, type VoiceSessionConfig } from '@voxduplex/core';
import {
  FakeLlm,
  type FakeLlmOptions,
  FakeStt,
  type FakeSttOptions,
  FakeTts,
  type FakeTtsOptions,
} from '@voxduplex/core/testing';
import { attachVoiceAgent, voiceServerOptions } from '@voxduplex/transport-socketio';
import { Server } from 'socket.io';

export interface VoiceServerOptions {
  readonly script: string;
  readonly stt?: FakeSttOptions;
  readonly llm?: FakeLlmOptions;
  readonly tts?: FakeTtsOptions;
  readonly session?: Partial<VoiceSessionConfig>;
  readonly resumeWindowMs?: number;
}

/**
 * The test page and a voice agent (fake providers, the real transport and session) on one
 * node:http server on 127.0.0.1, reached through a TCP proxy the test can cut like a network.
 */
export async function startVoiceServer(options: VoiceServerOptions) {
  const http: HttpServer = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
    } else if (path === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(options.script);
    } else if (!path?.startsWith('/socket.io')) {
      response.writeHead(404).end();
    }
  });
  const io = new Server(http, voiceServerOptions());
  const stt = new FakeStt(options.stt);
  const llm = new FakeLlm(options.llm);
  const tts = new FakeTts(options.tts);
  const agent = attachVoiceAgent(io.of('/voice'), {
    authenticate: ({ auth }) =>
      auth.token === 'good' ? { id: typeof auth.user === 'string' ? auth.user : 'alice' } : null,
    createSession: () =>
      createVoiceSession({ stt, llm, tts, turnDetection: { minEndpointDelayMs: 0 }, ...options.session }),
    ...(options.resumeWindowMs === undefined ? {} : { resumeWindowMs: options.resumeWindowMs }),
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const serverPort = (http.address() as AddressInfo).port;

  // The "network": every page connection goes through here.
  const connections = new Set<TcpSocket>();
  let isDown = false;
  const proxy = createTcpServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = connect(serverPort, '127.0.0.1');
    connections.add(client).add(upstream);
    const forget = () => {
      client.destroy();
      upstream.destroy();
      connections.delete(client);
      connections.delete(upstream);
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const proxyPort = (proxy.address() as AddressInfo).port;

  return {
    agent,
    stt,
    llm,
    tts,
    /** The page, through the proxy. */
    url: `http://127.0.0.1:${proxyPort}`,
    /** The server directly (for test clients that are not behind the proxy). */
    directUrl: `http://127.0.0.1:${serverPort}`,
    openStreams: () => stt.streams.open + llm.streams.open + tts.streams.open,
    /** Drops every connection and refuses new ones for `ms`, like a network outage. */
    cutNetwork(ms: number) {
      isDown = true;
      for (const socket of connections) socket.destroy();
      connections.clear();
      setTimeout(() => {
        isDown = false;
      }, ms);
    },
    async close() {
      agent.close('test over');
      for (const socket of connections) socket.destroy();
      await new Promise<void>((done) => proxy.close(() => done()));
      await io.close();
      http.closeAllConnections();
    },
  };
}

/** Polls `check` until it is true or `timeoutMs` passes; returns its last value. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
