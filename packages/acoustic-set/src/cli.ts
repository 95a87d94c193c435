// `npm run acoustic-set [-- --dir <folder>]`: builds (or completes) the acoustic test set.
import { buildAcousticSet } from './build-set';

const at = process.argv.indexOf('--dir');
const dir = at >= 0 ? process.argv[at + 1] : undefined;
const started = performance.now();
const report = buildAcousticSet({ ...(dir ? { dir } : {}), log: (line) => console.log(line) });
console.log(
  `${report.generated + report.skipped} clips in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
