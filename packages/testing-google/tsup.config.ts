import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// `shims` gives the CJS build an `import.meta.url`, which the proto loader uses to find the protos.
export default defineConfig(packageBuild({ index: 'src/index.ts' }, { shims: true }));
