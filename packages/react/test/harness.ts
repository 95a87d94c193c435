import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createVoiceSession } from '@voxduplex/core';
import { FakeLlm, type FakeLlmOptions, FakeStt, type FakeSttOptions, FakeTts } from '@voxduplex/core/testing';
import { attachVoiceAgent, voiceServerOptions } from '@voxduplex/transport-socketio';
import { build } from 'esbuild';
import { Server } from 'socket.io';

/**
 * Bundles the React page. `@voxduplex/*` resolve through node_modules to the built packages
 * (`npm run build` first), so this also proves the published web-audio works in a bundler.
 */
export async function bundleApp(): Promise<string> {
  const result = await build({
    entryPoints: [resolve(import.meta.dirname, 'page/app.tsx')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The page and a voice agent with fake providers on one 127.0.0.1 server, port 0. */
export async function startAppServer(script: string, options: { stt: FakeSttOptions; llm: FakeLlmOptions }) {
  const http = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        '<!doctype html><meta charset="utf-8"><body><script type="module" src="/app.js"></script>',
      );
    } else if (path === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
    } else if (!path?.startsWith('/socket.io')) {
      response.writeHead(404).end();
    }
  });
  const io = new Server(http, voiceServerOptions());
  const stt = new FakeStt(options.stt);
  const llm = new FakeLlm(options.llm);
  const tts = new FakeTts({ sampleRate: 24_000 });
  const agent = attachVoiceAgent(io.of('/voice'), {
    authenticate: ({ auth }) => (auth.token === 'good' ? { id: 'alice' } : null),
    createSession: () => createVoiceSession({ stt, llm, tts, turnDetection: { minEndpointDelayMs: 0 } }),
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  return {
    agent,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      agent.close('test over');
      await io.close();
      http.closeAllConnections();
    },
  };
}
