// The scaffolder's output: `npm create voxduplex@latest my-agent` with create-voxduplex from the
// local registry, then, in the project it wrote, `npm install`, `npm run build` (type-check and
// vite build) and `npm start` (PORT set), and one spoken turn against that server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../processes.mjs';
import { npmInstall, scopedNpmrc, scratchApp, writeFiles } from '../scratch-app.mjs';
import { askTheTimeOnce } from '../voice-server.mjs';

const PACKAGE = 'create-voxduplex';

export const scaffolder = {
  name: 'scaffolder',

  skipReason: (ctx) =>
    ctx.packages.some(({ name }) => name === PACKAGE)
      ? undefined
      : `TODO: ${PACKAGE} is not a committed public package yet (packages/create-voxduplex)`,

  async install(ctx) {
    const parent = join(ctx.workDir, 'scaffolded');
    mkdirSync(parent, { recursive: true });
    // A cache of its own: npm exec would otherwise reuse a create-voxduplex 0.1.0 fetched by an
    // earlier run (same version, older templates) from its npx folder.
    const { stdout } = await run(
      'npm',
      [
        'create',
        '--yes',
        `--registry=${ctx.registryUrl}`,
        `--cache=${join(parent, '.npm')}`,
        'voxduplex@latest',
        'my-agent',
      ],
      { cwd: parent, timeoutMs: 120_000 },
    );
    ctx.log(stdout.split('\n').find((line) => line.startsWith('Created')) ?? stdout.trim());
    const dir = join(parent, 'my-agent');
    // Published packages would come from npmjs.org; here only our scope comes from the local one.
    writeFiles(dir, { '.npmrc': scopedNpmrc(ctx.registryUrl) });
    await npmInstall(dir);
    return scratchApp(dir, 'my-agent');
  },

  async check(_ctx, app) {
    await app.run('npm', ['run', 'build'], { timeoutMs: 180_000 });
  },

  async talk(ctx, app) {
    await askTheTimeOnce(ctx, app, 'npm', ['start']);
  },
};
