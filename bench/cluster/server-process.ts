// One voice server process of the cluster bench: fake providers behind `attachVoiceAgent` on
// 127.0.0.1 (port 0), sessions saved to the Redis at REDIS_URL (with VOX_STORE=memory: the
// default in-process store, the reference for what Redis adds; STORE_TIMEOUT_MS: the bound on
// store calls, default 1000). Prints `listening <port>`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceSession, silentLogger } from '@voxduplex/core';
import { FakeLlm, FakeStt, FakeTts } from '@voxduplex/core/testing';
import { RedisSessionStore } from '@voxduplex/session-store-redis';
import { attachVoiceAgent, voiceServerOptions } from '@voxduplex/transport-socketio';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, voiceServerOptions());
const stt = new FakeStt();
const tts = new FakeTts();
// Early in a conversation it repeats every user turn (what the crash check reads); later it gives
// a reply of a voice agent's usual length, so the 20-turn snapshot has a realistic size.
const llm = new FakeLlm({
  reply: (request) => {
    const said = request.messages.filter((m) => m.role === 'user').map((m) => m.content);
    return said.length <= 3
      ? `You said: ${said.join(' | ')}`
      : 'Here is a short spoken answer of the usual length: one or two sentences, as a voice agent gives.';
  },
});
const storeTimeoutMs = Number(process.env.STORE_TIMEOUT_MS ?? 1000);
const sessionStore =
  process.env.VOX_STORE === 'memory'
    ? undefined
    : new RedisSessionStore({
        url: process.env.REDIS_URL,
        logger: silentLogger,
        commandTimeoutMs: storeTimeoutMs,
      });
await sessionStore?.connect();
attachVoiceAgent(io.of('/voice'), {
  allowAnonymous: true,
  logger: silentLogger,
  storeTimeoutMs,
  ...(sessionStore ? { sessionStore } : {}),
  ...(process.env.VOX_SNAPSHOT_KEY ? { snapshotKey: process.env.VOX_SNAPSHOT_KEY } : {}),
  createSession: ({ restored }) =>
    createVoiceSession({ stt, llm, tts, turnDetection: { minEndpointDelayMs: 0 }, ...restored?.config }),
});
http.listen(0, '127.0.0.1', () => console.log(`listening ${(http.address() as AddressInfo).port}`));
