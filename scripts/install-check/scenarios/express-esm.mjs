// Express, ESM: the README's Quickstart server (on an Express app that also serves the built
// React page), type-checked with `nodenext` and run with tsx as the README says. Its Node client
// speaks a checked first turn, then eight questions in two voices (the voice-to-voice figures);
// then Chromium talks to it through the built page.
import { quantile } from '../../../bench/harness.ts';
import { talkInChromium } from '../browser-talk.mjs';
import { quickstartBlock, quickstartServer } from '../quickstart-server.mjs';
import { createScratchApp, latest, nodeModulesMb, runtimeDependencies } from '../scratch-app.mjs';
import { typeCheck } from '../type-check.mjs';
import {
  describeTurn,
  installTurnClient,
  speakTurns,
  startVoiceServer,
  turnProblems,
} from '../voice-server.mjs';

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
  },
  include: ['server.ts'],
};

export const expressEsm = {
  name: 'express-esm',

  async install(ctx) {
    const block = quickstartBlock(ctx.root);
    const app = await createScratchApp({
      workDir: ctx.workDir,
      name: 'express-esm',
      registryUrl: ctx.registryUrl,
      manifest: {
        type: 'module',
        dependencies: latest(...block.packages, 'express'),
        devDependencies: latest('tsx', 'typescript', '@types/node', '@types/express'),
      },
      files: {
        'server.ts': quickstartServer(block, { express: true }),
        'tsconfig.json': `${JSON.stringify(TSCONFIG, null, 2)}\n`,
      },
    });
    installTurnClient(app);
    // server.ts is the block after a three-line Express prelude.
    app.origins = new Map([['server.ts', { file: 'README.md', line: block.line - 3 }]]);
    ctx.figure('install.node_modules.server_mb', nodeModulesMb(app.dir), 'MB', 'info');
    const runtime = runtimeDependencies(app.dir);
    ctx.log(
      `node_modules without dev dependencies: ${runtime.packages} packages, ${runtime.mb.toFixed(1)} MB`,
    );
    ctx.share({ clientApp: app });
    return app;
  },

  async check(_ctx, app) {
    await typeCheck(app, 'tsconfig.json', app.origins);
  },

  async talk(ctx, app) {
    const server = await startVoiceServer(app, 'npx', ['--no-install', 'tsx', 'server.ts'], {
      STATIC_DIR: ctx.viteDist ?? 'public',
    });
    try {
      // The first turn is played out and checked; it also warms the server up (the offline
      // bench warms its stack before measuring), so the figures come from the turns after it.
      const result = await speakTurns(app, server.url, [ctx.questions.time, ...ctx.questions.timing]);
      for (const turn of result.turns) ctx.log(describeTurn(turn));
      const problems = turnProblems(result);
      if (result.turns.length < ctx.questions.timing.length + 1)
        problems.push(`${result.turns.length} of ${ctx.questions.timing.length + 1} turns completed`);
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\nserver output:\n${server.output()}`);
      const [first, ...measured] = result.turns;
      const v2v = measured.map((turn) => turn.v2vMs);
      ctx.log(`voice to voice (ms): first turn ${first.v2vMs}; measured turns ${v2v.join(', ')}`);
      ctx.figure('install.quickstart.v2v.p50', quantile(v2v, 0.5), 'ms', ctx.headline.goal('p50'));
      ctx.figure('install.quickstart.v2v.p95', quantile(v2v, 0.95), 'ms', ctx.headline.goal('p95'));
      ctx.figure('install.quickstart.v2v.first_turn', first.v2vMs, 'ms', 'info (cold server)');
      if (ctx.viteDist) await talkInChromium(ctx, server.url);
      else ctx.log('browser talk skipped: the Vite app did not build');
    } finally {
      await server.stop();
    }
  },
};
