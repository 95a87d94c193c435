// Vite + React: a fresh app whose component is the root README's browser block, type-checked
// (`bundler` resolution, strict) and built with `vite build`. The voice layer (everything from
// node_modules but React) is put in one chunk, whose size gzipped (level 9) is the browser figure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runnableBlocks } from '../readme-blocks.mjs';
import { createScratchApp, latest, nodeModulesMb, runtimeDependencies } from '../scratch-app.mjs';
import { typeCheck } from '../type-check.mjs';

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    jsx: 'react-jsx',
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
  },
  include: ['src'],
};

// React (and its scheduler) in one chunk, the rest of node_modules — the voice layer:
// @voxduplex/*, socket.io-client and its parts, zod, eventemitter3 — in another.
const VITE_CONFIG = `import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const REACT = /node_modules\\/(react|react-dom|scheduler)\\//;

export default defineConfig({
  plugins: [react()],
  // The README's dev set-up: the voice socket proxied to the server.
  server: { proxy: { '/socket.io': { target: 'http://localhost:3000', ws: true } } },
  build: {
    rollupOptions: {
      output: {
        manualChunks: (id) => (!id.includes('/node_modules/') ? undefined : REACT.test(id) ? 'react' : 'voice'),
      },
    },
  },
});
`;

const MAIN = `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Agent } from './agent';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Agent />
  </StrictMode>,
);
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>voice agent</title></head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`;

export const viteReact = {
  name: 'vite-react',

  async install(ctx) {
    const block = runnableBlocks(readFileSync(join(ctx.root, 'README.md'), 'utf8'), 'README.md').find(
      (b) => b.lang === 'tsx',
    );
    if (!block) throw new Error('README.md has no runnable tsx block (the browser component)');
    const app = await createScratchApp({
      workDir: ctx.workDir,
      name: 'vite-react',
      registryUrl: ctx.registryUrl,
      manifest: {
        type: 'module',
        dependencies: latest(...block.packages, 'react', 'react-dom'),
        devDependencies: latest(
          'vite',
          '@vitejs/plugin-react',
          'typescript',
          '@types/react',
          '@types/react-dom',
        ),
      },
      files: {
        'index.html': INDEX_HTML,
        'vite.config.ts': VITE_CONFIG,
        'tsconfig.json': `${JSON.stringify(TSCONFIG, null, 2)}\n`,
        'src/agent.tsx': block.code,
        'src/main.tsx': MAIN,
      },
    });
    app.origins = new Map([['src/agent.tsx', { file: 'README.md', line: block.line }]]);
    ctx.figure('install.node_modules.browser_mb', nodeModulesMb(app.dir), 'MB', 'info');
    const runtime = runtimeDependencies(app.dir);
    ctx.log(
      `node_modules without dev dependencies: ${runtime.packages} packages, ${runtime.mb.toFixed(1)} MB`,
    );
    return app;
  },

  async check(ctx, app) {
    await typeCheck(app, 'tsconfig.json', app.origins);
    await app.run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn']);
    const assets = join(app.dir, 'dist', 'assets');
    const voiceChunk = readdirSync(assets).find((file) => /^voice-.*\.js$/.test(file));
    if (!voiceChunk) throw new Error(`vite build made no voice chunk: ${readdirSync(assets).join(', ')}`);
    const code = readFileSync(join(assets, voiceChunk));
    const gzipKb = gzipSync(code, { level: 9 }).length / 1000;
    ctx.log(
      `voice layer chunk ${voiceChunk}: ${(code.length / 1000).toFixed(1)} kB minified, ${gzipKb.toFixed(1)} kB gzip`,
    );
    ctx.figure('install.browser.voice_layer_gzip_kb', gzipKb, 'kB', 'info');
    ctx.share({ viteDist: join(app.dir, 'dist') });
  },
};
