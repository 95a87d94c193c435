import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// The inference worker is its own entry: the model starts it by file, beside the built index
// (`inference-worker.js` / `.cjs`). `shims` gives the CJS build an `import.meta.url` to find it.
export default defineConfig(
  packageBuild({ index: 'src/index.ts', 'inference-worker': 'src/inference-worker.ts' }, { shims: true }),
);
