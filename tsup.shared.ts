import type { Options } from 'tsup';

/**
 * The one build shape every @voxduplex package uses: ESM + CJS + .d.ts per entry,
 * so the `exports` map of each package.json can point at `dist/<entry>.{js,cjs,d.ts,d.cts}`.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    treeshake: true,
    splitting: true,
    target: 'es2022',
    ...overrides,
  };
}
