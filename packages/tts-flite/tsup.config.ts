import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// The synthesis worker is its own entry: the pool starts it by file, beside the built index
// (`synthesis-worker.js` / `.cjs`). `shims` gives the CJS build an `import.meta.url` to find it.
export default defineConfig(
  packageBuild({ index: 'src/index.ts', 'synthesis-worker': 'src/synthesis-worker.ts' }, { shims: true }),
);
