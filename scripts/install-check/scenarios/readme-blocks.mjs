// Every block marked runnable in the root README and in each public package's README, pasted
// into one app that installs what the blocks import, and type-checked strictly: `.ts` blocks with
// `nodenext`, `.tsx` blocks with `bundler` resolution and React's JSX. `run` blocks are also
// executed and must end with exit 0 (the root Quickstart, a server, runs in the Express scenarios
// instead, on a port of the check's choosing).
// Each block must also only import packages an `npm install` line earlier in its README names; a
// file it imports by a relative path is copied from the repository folder the block names (as
// the reader is told to copy it).
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { quickstartBlock } from '../quickstart-server.mjs';
import { copiedFiles, missingFromInstallLines, runnableBlocks } from '../readme-blocks.mjs';
import { createScratchApp, latest } from '../scratch-app.mjs';
import { typeCheck } from '../type-check.mjs';

const STRICT = {
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  noEmit: true,
};
/** Packages that ship no types of their own (their `@types/…` comes with them). */
const UNTYPED_PACKAGES = ['express'];

const NODE_TSCONFIG = {
  compilerOptions: {
    ...STRICT,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    // NestJS blocks use its (legacy) decorators; nothing else is affected.
    experimentalDecorators: true,
  },
  include: ['blocks/*.ts'],
};
const WEB_TSCONFIG = {
  compilerOptions: { ...STRICT, module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx', types: [] },
  include: ['blocks/*.tsx'],
};
/**
 * How long a `run` block has to end with exit 0. A server never ends: mark it `types` (the root
 * Quickstart, the one `run` server, is run by the Express scenarios instead).
 */
const RUN_TIMEOUT_MS = 60_000;

/** The READMEs whose runnable blocks are checked: the root one and every public package's. */
function readmes(ctx) {
  const paths = [join(ctx.root, 'README.md'), ...ctx.packages.map(({ dir }) => join(dir, 'README.md'))];
  return paths.filter((path) => existsSync(path)).map((path) => ({ path, file: relative(ctx.root, path) }));
}

export const readmeBlocks = {
  name: 'readme-blocks',

  async install(ctx) {
    const blocks = [];
    const problems = [];
    for (const { path, file } of readmes(ctx)) {
      const markdown = readFileSync(path, 'utf8');
      for (const block of runnableBlocks(markdown, file)) {
        blocks.push(block);
        const missing = missingFromInstallLines(markdown, block);
        if (missing.length > 0)
          problems.push(
            `${file}:${block.line} imports ${missing.join(', ')}, which no earlier npm install line names`,
          );
      }
    }
    ctx.log(
      `${blocks.length} runnable blocks: ${blocks.map((b) => `${b.file}:${b.line} (${b.mode}${b.why ? `: ${b.why}` : ''})`).join(', ')}`,
    );
    const files = {};
    const origins = new Map();
    for (const block of blocks) {
      const name = `blocks/${block.file.replace(/\W+/g, '-')}-${block.line}.${block.lang}`;
      // Each block is a module of its own, even one with no import or export.
      files[name] = `${block.code}export {};\n`;
      origins.set(name, { file: block.file, line: block.line });
      try {
        for (const copied of copiedFiles(block))
          files[`blocks/${copied.name}`] = readFileSync(join(ctx.root, copied.path), 'utf8');
      } catch (error) {
        problems.push(error.message);
      }
    }
    const hasJsx = blocks.some((b) => b.lang === 'tsx');
    const imported = new Set(blocks.flatMap((b) => b.packages));
    const app = await createScratchApp({
      workDir: ctx.workDir,
      name: 'readme-blocks',
      registryUrl: ctx.registryUrl,
      manifest: {
        type: 'module',
        dependencies: latest(...imported, ...(hasJsx ? ['react', 'react-dom'] : [])),
        devDependencies: latest(
          'typescript',
          'tsx',
          '@types/node',
          ...(hasJsx ? ['@types/react', '@types/react-dom'] : []),
          // Packages a block imports whose types live on DefinitelyTyped, as an app would add them.
          ...UNTYPED_PACKAGES.filter((name) => imported.has(name)).map((name) => `@types/${name}`),
        ),
      },
      files: {
        ...files,
        'tsconfig.node.json': `${JSON.stringify(NODE_TSCONFIG, null, 2)}\n`,
        'tsconfig.web.json': `${JSON.stringify(WEB_TSCONFIG, null, 2)}\n`,
      },
    });
    Object.assign(app, { blocks, origins, problems });
    return app;
  },

  async check(ctx, app) {
    const problems = [...app.problems];
    for (const [lang, project] of [
      ['ts', 'tsconfig.node.json'],
      ['tsx', 'tsconfig.web.json'],
    ]) {
      if (!app.blocks.some((b) => b.lang === lang)) continue;
      await typeCheck(app, project, app.origins).catch((error) => problems.push(error.message));
    }
    const quickstart = quickstartBlock(ctx.root);
    for (const [name, origin] of app.origins) {
      const block = app.blocks.find((b) => b.file === origin.file && b.line === origin.line);
      if (block.mode !== 'run') continue;
      if (block.file === quickstart.file && block.line === quickstart.line) {
        ctx.log(`${block.file}:${block.line} (run) runs as the Express ESM and CommonJS servers`);
        continue;
      }
      const began = performance.now();
      await runBlock(app, name)
        .then(() =>
          ctx.log(
            `${block.file}:${block.line} (run) exited 0 in ${((performance.now() - began) / 1000).toFixed(1)} s`,
          ),
        )
        .catch((error) => problems.push(`${block.file}:${block.line}: ${error.message}`));
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
  },
};

/** Runs a block with tsx; rejects unless it exits 0 within {@link RUN_TIMEOUT_MS}. */
function runBlock(app, name) {
  return app.run('npx', ['--no-install', 'tsx', name], { timeoutMs: RUN_TIMEOUT_MS });
}
