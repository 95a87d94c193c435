// NestJS, CommonJS, as packages/nestjs/README.md says: its install line, its tsconfig
// (decorators, NodeNext in a package without "type": "module", so CommonJS), its runnable blocks
// as source files. Compiled twice by tsc — with and without emitDecoratorMetadata — and every
// block that listens is run from both builds with plain node: one spoken turn each (with the
// README's token), `GET /voice/stats` where the block serves it (an injected service), and one
// copy of socket.io in the app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPortFromEnvironment } from '../quickstart-server.mjs';
import { installLines, readmeCompilerOptions, runnableBlocks } from '../readme-blocks.mjs';
import { createScratchApp, latest } from '../scratch-app.mjs';
import { typeCheck } from '../type-check.mjs';
import { describeTurn, speakTurns, startVoiceServer, turnProblems } from '../voice-server.mjs';

const PACKAGE = '@voxduplex/nestjs';
const BUILDS = [
  { name: 'metadata', emitDecoratorMetadata: true },
  { name: 'plain', emitDecoratorMetadata: false },
];
/** The token the README's blocks accept by default (`VOICE_TOKEN ?? 'dev-token'`). */
const AUTH = { token: 'dev-token' };

function tsconfig(readmeOptions, build) {
  return {
    compilerOptions: {
      ...readmeOptions,
      emitDecoratorMetadata: build.emitDecoratorMetadata,
      rootDir: 'src',
      outDir: `dist-${build.name}`,
    },
    include: ['src'],
  };
}

export const nestjs = {
  name: 'nestjs',

  skipReason: (ctx) =>
    ctx.packages.some(({ name }) => name === PACKAGE)
      ? undefined
      : `TODO: ${PACKAGE} is not a committed public package yet (packages/nestjs)`,

  async install(ctx) {
    const { dir } = ctx.packages.find(({ name }) => name === PACKAGE);
    const markdown = readFileSync(join(dir, 'README.md'), 'utf8');
    const [installLine] = installLines(markdown);
    const compilerOptions = readmeCompilerOptions(markdown);
    const blocks = runnableBlocks(markdown, 'packages/nestjs/README.md');
    if (!installLine || !compilerOptions || blocks.length === 0)
      throw new Error('packages/nestjs/README.md lost its install line, tsconfig or runnable blocks');
    const files = {};
    const origins = new Map();
    for (const block of blocks) {
      const name = `block-${block.line}`;
      const listens = /\.listen\(3000\b/.test(block.code);
      files[`src/${name}.ts`] = listens ? onPortFromEnvironment(block.code) : block.code;
      origins.set(`src/${name}.ts`, { file: block.file, line: block.line });
      Object.assign(block, { name, listens });
    }
    for (const build of BUILDS)
      files[`tsconfig.${build.name}.json`] = `${JSON.stringify(tsconfig(compilerOptions, build), null, 2)}\n`;
    const app = await createScratchApp({
      workDir: ctx.workDir,
      name: 'nestjs',
      registryUrl: ctx.registryUrl,
      // No "type": a Nest app is CommonJS, as `nest new` makes it.
      manifest: {
        dependencies: latest(...installLine),
        devDependencies: latest('typescript', '@types/node'),
      },
      files,
    });
    return Object.assign(app, { blocks, origins });
  },

  async check(_ctx, app) {
    for (const build of BUILDS)
      await typeCheck(app, `tsconfig.${build.name}.json`, app.origins, { emit: true });
    const { stdout } = await app.run('npm', ['ls', 'socket.io', '--all', '--parseable']);
    const copies = new Set(stdout.split('\n').filter((path) => path.endsWith('/node_modules/socket.io')));
    if (copies.size !== 1)
      throw new Error(`${copies.size} copies of socket.io installed:\n${[...copies].join('\n')}`);
  },

  async talk(ctx, app) {
    for (const block of app.blocks.filter((b) => b.listens))
      for (const build of BUILDS) {
        const label = `${block.file}:${block.line}, emitDecoratorMetadata ${build.emitDecoratorMetadata}`;
        const server = await startVoiceServer(app, 'node', [`dist-${build.name}/${block.name}.js`]);
        try {
          if (block.code.includes("@Get('stats')")) {
            const response = await fetch(`${server.url}/voice/stats`);
            if (!response.ok) throw new Error(`${label}: GET /voice/stats answered ${response.status}`);
          }
          const result = await speakTurns(ctx.clientApp, server.url, [ctx.questions.time], { auth: AUTH });
          for (const turn of result.turns) ctx.log(`${label}: ${describeTurn(turn)}`);
          const problems = turnProblems(result);
          if (problems.length > 0)
            throw new Error(`${label}:\n${problems.join('\n')}\nserver output:\n${server.output()}`);
        } finally {
          await server.stop();
        }
      }
  },
};
