import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';
import { workletSourcePlugin } from './build/worklet-plugin';

// The worklet processors are bundled on their own and inlined as strings (loaded via Blob URLs),
// so the package works unchanged in Vite, webpack, esbuild and plain ESM/CJS.
export default defineConfig(
  packageBuild(
    { index: 'src/index.ts', client: 'src/client/index.ts' },
    { esbuildPlugins: [workletSourcePlugin()] },
  ),
);
