import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// A command, not a library: one ESM file for `bin`, no CommonJS and no declarations.
export default defineConfig(packageBuild({ index: 'src/index.ts' }, { format: ['esm'], dts: false }));
