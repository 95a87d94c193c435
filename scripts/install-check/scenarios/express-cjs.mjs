// Express, CommonJS: a `"type": "commonjs"` app compiled by tsc with `module: commonjs` and
// `moduleResolution: node` (node10, which reads no `exports`: subpaths resolve only through the
// packages' `typesVersions`). It compiles the Quickstart server block (imports become require())
// and a file importing every subpath export of every public package, then runs the server with
// plain node and takes one spoken turn.
import { quickstartBlock, quickstartServer } from '../quickstart-server.mjs';
import { createScratchApp, latest } from '../scratch-app.mjs';
import { typeCheck } from '../type-check.mjs';
import { askTheTimeOnce } from '../voice-server.mjs';

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    // TypeScript 6 deprecates node10 resolution (7 removes it); apps on it still exist.
    ignoreDeprecations: '6.0',
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: false,
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
};

/** `import * as` every subpath export (`pkg/sub`) of the public packages: types and require(). */
function subpathImports(packages) {
  const lines = [];
  for (const { name, manifest } of packages)
    for (const subpath of Object.keys(manifest.exports ?? {})) {
      if (subpath === '.' || subpath === './package.json' || subpath.includes('*')) continue;
      lines.push(`import * as m${lines.length} from '${name}/${subpath.slice(2)}';`);
    }
  const names = lines.map((_, i) => `m${i}`).join(', ');
  return `${lines.join('\n')}\n\nexport const subpathModules = [${names}];\n`;
}

export const expressCjs = {
  name: 'express-cjs',

  async install(ctx) {
    const block = quickstartBlock(ctx.root);
    const withSubpaths = ctx.packages.filter(({ manifest }) =>
      Object.keys(manifest.exports ?? {}).some((s) => s !== '.' && s !== './package.json'),
    );
    const app = await createScratchApp({
      workDir: ctx.workDir,
      name: 'express-cjs',
      registryUrl: ctx.registryUrl,
      manifest: {
        type: 'commonjs',
        dependencies: latest(...new Set([...block.packages, ...withSubpaths.map(({ name }) => name)])),
        // The last TypeScript with node10 resolution.
        devDependencies: { ...latest('@types/node'), typescript: '^6' },
      },
      files: {
        'src/server.ts': quickstartServer(block),
        'src/subpaths.ts': subpathImports(withSubpaths),
        'tsconfig.json': `${JSON.stringify(TSCONFIG, null, 2)}\n`,
      },
    });
    app.origins = new Map([['src/server.ts', { file: 'README.md', line: block.line }]]);
    return app;
  },

  async check(_ctx, app) {
    await typeCheck(app, 'tsconfig.json', app.origins, { emit: true });
    // Every subpath loads through require() at run time too (browser-only code only defines).
    await app.run('node', ['-e', 'require("./dist/subpaths.js")']);
  },

  async talk(ctx, app) {
    await askTheTimeOnce(ctx, app, 'node', ['dist/server.js']);
  },
};
