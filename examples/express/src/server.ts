import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createVoiceSession, type FallbackChainStats } from '@voxduplex/core';
import { CallRecorder, fileRecordingSink } from '@voxduplex/recording';
import { traceSession } from '@voxduplex/tracing';
import { attachVoiceAgent, type VoiceAgentServer, voiceServerOptions } from '@voxduplex/transport-socketio';
import express from 'express';
import { Server } from 'socket.io';
import { buildProviders } from './build-providers';
import type { ExampleConfig } from './config';

/** A running example server. */
export interface RunningServer {
  /** Where to open the page, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly voice: VoiceAgentServer;
  close(): Promise<void>;
}

/**
 * Builds every provider once (so bad options fail here, not at the first utterance), then serves
 * the React app at `/`, the voice agent on the Socket.IO namespace `/voice`, and `/health`.
 */
export async function startServer(config: ExampleConfig): Promise<RunningServer> {
  const providers = buildProviders(config);
  const { stt, tts } = providers;

  // Recordings still being written: a stopping server waits for them.
  const recordings = new Set<Promise<unknown>>();
  const app = express();
  const http = createServer(app);
  const io = new Server(http, voiceServerOptions());
  const voice = attachVoiceAgent(io.of('/voice'), {
    // An open demo: anyone who can reach the page may talk. Put real authentication here.
    authenticate: () => ({ id: 'anonymous' }),
    createSession: ({ socketId }) => {
      const id = `call-${new Date().toISOString().replace(/[:.]/g, '-')}-${socketId}`;
      // With VOX_RECORD_DIR, each call is recorded there: <id>.wav (user left, agent right) and <id>.json.
      const recorder = config.recordDir
        ? new CallRecorder({ sink: fileRecordingSink({ dir: config.recordDir, name: id }) })
        : undefined;
      const session = createVoiceSession({
        ...providers.sessionConfig(socketId),
        id,
        preemptiveGeneration: { enabled: true },
        ...(recorder ? { pipeline: { audioIn: recorder.audioIn } } : {}),
      });
      traceSession(session);
      recorder?.attach(session);
      if (recorder) {
        const written = recorder.finished.catch((error: unknown) =>
          console.error(`recording of ${id} failed:`, error),
        );
        recordings.add(written);
        void written.then(() => recordings.delete(written));
      }
      return session;
    },
  });
  // Cross-origin isolation gives the page SharedArrayBuffer, so the player's interrupt reaches its
  // audio thread at the next render quantum instead of after a render burst (~11 ms later).
  app.use((_request, response, next) => {
    response.set('Cross-Origin-Opener-Policy', 'same-origin');
    response.set('Cross-Origin-Embedder-Policy', 'require-corp');
    next();
  });
  app.get('/health', (_request, response) => {
    response.json({
      providers: { stt: config.stt.name, tts: config.tts.name, llm: config.llm.name },
      // Which recognizer and voice of a fallback list are in service (each session has its own LLM).
      fallback: [stt, tts].flatMap((provider) =>
        'stats' in provider ? [(provider as { stats(): FallbackChainStats }).stats()] : [],
      ),
      ...voice.stats(),
    });
  });
  if (existsSync(join(config.staticDir, 'index.html'))) app.use(express.static(config.staticDir));
  else
    app.get('/', (_request, response) => {
      response
        .type('text/plain')
        .send(
          `The React app is not built: run "npm run build -w examples/react" (looked in ${config.staticDir}).`,
        );
    });

  await new Promise<void>((done, fail) => {
    http.once('error', fail);
    http.listen(config.port, config.host, done);
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    url: `http://${shownHost}:${port}`,
    voice,
    async close() {
      voice.close('server stopping');
      await Promise.all(recordings);
      await io.close();
      http.closeAllConnections();
      await Promise.all([stt.close?.(), tts.close?.()]);
    },
  };
}
