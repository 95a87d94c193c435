import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { connectOutcome, nextEvent, rawClient } from './support/raw-client';
import { startVoiceServer, type VoiceServer } from './support/voice-server';

const APP_ORIGIN = 'https://app.example.com';
const EVIL_ORIGIN = 'https://evil.example.net';

let server: VoiceServer | undefined;
const sockets: ReturnType<typeof rawClient>[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server?.close();
  server = undefined;
});

/** A client as a browser page on `origin` opens it (browsers always send `Origin`). */
function fromOrigin(url: string, origin: string, transport: 'websocket' | 'polling' = 'websocket') {
  const socket = rawClient(url, { token: 'good' }, { transports: [transport], extraHeaders: { origin } });
  sockets.push(socket);
  return socket;
}

/** The README's recipe: refuse the HTTP request itself unless its Origin is allowed. */
const allowRequest = (
  request: IncomingMessage,
  callback: (error: string | null | undefined, ok: boolean) => void,
) => callback(null, request.headers.origin === APP_ORIGIN);

describe('origin checks', () => {
  it.each(['websocket', 'polling'] as const)(
    'allowRequest refuses a %s from a disallowed Origin before authenticate runs, and admits the app',
    async (transport) => {
      server = await startVoiceServer({ socketIo: { allowRequest, cors: { origin: APP_ORIGIN } } });
      const evil = fromOrigin(server.url, EVIL_ORIGIN, transport);
      const refusal = await connectOutcome(evil);
      expect(refusal).not.toBe('connected');
      expect(server.calls).toEqual({ authenticate: 0, createSession: 0 });

      const app = fromOrigin(server.url, APP_ORIGIN, transport);
      await nextEvent(app, 'ready');
      expect(server.calls).toEqual({ authenticate: 1, createSession: 1 });
    },
  );

  it('cors.origin alone does not stop a WebSocket from another origin (browsers do not apply CORS to WebSockets)', async () => {
    server = await startVoiceServer({ socketIo: { cors: { origin: APP_ORIGIN } } });
    // A polling request from the other origin gets no Access-Control-Allow-Origin: a browser
    // would hide the response from the page…
    const handshakeFrom = async (origin: string) => {
      const response = await fetch(`${new URL(server!.url).origin}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin },
      });
      await response.text();
      return response.headers.get('access-control-allow-origin');
    };
    expect(await handshakeFrom(APP_ORIGIN)).toBe(APP_ORIGIN);
    expect(await handshakeFrom(EVIL_ORIGIN)).not.toBe(EVIL_ORIGIN);
    // …but a WebSocket from that origin is served: only allowRequest (or authenticate) stops it.
    const evil = fromOrigin(server.url, EVIL_ORIGIN);
    await nextEvent(evil, 'ready');
    expect(server.calls.createSession).toBe(1);
  });
});
