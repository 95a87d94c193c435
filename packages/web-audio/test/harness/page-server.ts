import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { workletSourcePlugin } from '../../build/worklet-plugin';

const root = resolve(import.meta.dirname, '../../../..');
/** The page and its worklets use the sources, not a possibly stale `dist/`. */
const NOISE_SUPPRESSION_SOURCE = resolve(root, 'packages/noise-suppression/src/index.ts');

/** Bundles the test page (page code + worklets, from sources) once per test file. */
export async function bundlePage(entry = resolve(import.meta.dirname, '../page/page.ts')): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    plugins: [workletSourcePlugin({ '@voxduplex/noise-suppression': NOISE_SUPPRESSION_SOURCE })],
    alias: {
      '@voxduplex/core': resolve(root, 'packages/core/src/index.ts'),
      '@voxduplex/core/dsp': resolve(root, 'packages/core/src/dsp/index.ts'),
      '@voxduplex/transport-socketio/client': resolve(
        root,
        'packages/transport-socketio/src/client/index.ts',
      ),
      '@voxduplex/web-audio': resolve(root, 'packages/web-audio/src/index.ts'),
      '@voxduplex/noise-suppression': NOISE_SUPPRESSION_SOURCE,
    },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

type Route = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

/**
 * A node:http server on 127.0.0.1, port 0: `/` is the page, `/page.js` its bundle, plus `routes`.
 * With `crossOriginIsolated`, the page and its script carry COOP `same-origin` and COEP
 * `require-corp`, so the page may use SharedArrayBuffer (the player's fast control lane).
 */
export async function servePage(
  script: string,
  routes: Record<string, Route> = {},
  options: { crossOriginIsolated?: boolean } = {},
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const isolation: Record<string, string> = options.crossOriginIsolated
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0]!;
      if (path === '/') {
        response.writeHead(200, { 'content-type': 'text/html', ...isolation });
        response.end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
      } else if (path === '/page.js') {
        response.writeHead(200, { 'content-type': 'text/javascript', ...isolation });
        response.end(script);
      } else if (routes[path]) {
        routes[path](request, response, Buffer.concat(chunks));
      } else if (!path.startsWith('/socket.io')) {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
