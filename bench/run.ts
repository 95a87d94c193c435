// `npm run bench [name…]`: runs every bench/*.bench.ts (or the named ones) one after another,
// so they never compete for the two cores.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './harness';

const only = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();
for (const file of files) {
  const module = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as {
    default: Benchmark;
  };
  await module.default();
}
