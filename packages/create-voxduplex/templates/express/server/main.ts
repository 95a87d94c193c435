import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { consoleLogger } from '@voxduplex/core';
import { attachVoiceAgent, voiceServerOptions } from '@voxduplex/transport-socketio';
import express from 'express';
import { Server } from 'socket.io';
import { createAgent } from './agent';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
/** The page built by `npm run build` (Vite writes it to `dist/`). */
const pageDir = join(import.meta.dirname, '..', 'dist');

const agent = createAgent();
const app = express();
const httpServer = createServer(app);
// The Socket.IO settings the voice protocol needs (message size, ping timing).
const io = new Server(httpServer, voiceServerOptions());
const voice = attachVoiceAgent(io.of('/voice'), {
  // An open demo: anyone who can reach this server may talk, and spend your provider quota once a
  // cloud provider is in use. For real users, replace this line with
  // `authenticate: (handshake) => user or null`, checking e.g. `handshake.auth.token`.
  allowAnonymous: true,
  createSession: () => agent.createSession(),
  // Connections, refusals, session starts and ends, and errors, on the console.
  logger: consoleLogger('info'),
});

app.get('/health', (_request, response) => {
  response.json(voice.stats());
});
const hasPage = existsSync(join(pageDir, 'index.html'));
if (hasPage) app.use(express.static(pageDir));

await new Promise<void>((resolve, reject) => {
  httpServer.once('error', reject);
  httpServer.listen(port, host, resolve);
});
console.log(
  hasPage
    ? `Voice agent ready: open http://${host}:${port}, press Talk and speak.`
    : `Voice agent listening on http://${host}:${port} (Socket.IO namespace /voice).\n` +
        'Open the page Vite serves (npm run dev prints its address), or run "npm run build" so this server serves it.',
);

async function stop() {
  voice.close('server stopping');
  await io.close(); // closes the HTTP server too
  httpServer.closeAllConnections();
  await agent.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
