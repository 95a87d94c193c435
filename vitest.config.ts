import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Tests run against the TypeScript sources, not `dist/`: `@voxduplex/<pkg>/<sub>` resolves to
 * `packages/<pkg>/src/<sub>/index.ts` (or `src/<sub>.ts`), `@voxduplex/<pkg>` to `src/index.ts`.
 */
function workspaceSourceAliases() {
  const aliases: { find: RegExp; replacement: string }[] = [];
  const packagesDir = resolve(import.meta.dirname, 'packages');
  for (const dir of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      exports?: object;
    };
    for (const subpath of Object.keys(exports ?? { '.': null })) {
      if (subpath === './package.json' || subpath.includes('*')) continue;
      const sub = subpath.replace(/^\.\/?/, '');
      const candidates = sub === '' ? ['src/index.ts'] : [`src/${sub}/index.ts`, `src/${sub}.ts`];
      const source = candidates.map((c) => join(packagesDir, dir, c)).find((c) => existsSync(c));
      if (!source) continue;
      const specifier = sub === '' ? name : `${name}/${sub}`;
      aliases.push({ find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`), replacement: source });
    }
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
