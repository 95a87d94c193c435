import { resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const SUFFIX = /\?worklet-source$/;

/**
 * esbuild plugin: `import source from './x-processor?worklet-source'` bundles `x-processor.ts`
 * on its own (IIFE, minified) and imports its code as a string. Used by tsup (the package build)
 * and by the Chromium tests (the page bundle), so both ship the same worklet code. `alias` maps
 * imports of the worklet code (the tests point workspace packages at their sources).
 */
export function workletSourcePlugin(alias: Record<string, string> = {}): Plugin {
  return {
    name: 'voxduplex-worklet-source',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: SUFFIX }, (args) => ({
        path: `${resolve(args.resolveDir, args.path.replace(SUFFIX, ''))}.ts`,
        namespace: 'worklet-source',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'worklet-source' }, async (args) => {
        const result = await build({
          entryPoints: [args.path],
          bundle: true,
          write: false,
          format: 'iife',
          target: 'es2022',
          minify: true,
          metafile: true,
          alias,
        });
        const code = result.outputFiles[0]?.text ?? '';
        return {
          contents: `export default ${JSON.stringify(code)};`,
          loader: 'js',
          watchFiles: Object.keys(result.metafile.inputs).map((input) => resolve(input)),
        };
      });
    },
  };
}
