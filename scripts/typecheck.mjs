// Type-checks every workspace on its own (`tsc -b` with references trips TS6310 here).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = ['.'];
for (const group of ['packages', 'examples']) {
  if (!existsSync(group)) continue;
  for (const dir of readdirSync(group))
    if (existsSync(join(group, dir, 'tsconfig.json'))) projects.push(join(group, dir));
}
let failed = 0;
for (const project of projects) {
  const result = spawnSync('npx', ['tsc', '--noEmit', '-p', project], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`typecheck failed: ${project}`);
  }
}
console.log(`typecheck: ${projects.length - failed}/${projects.length} projects clean`);
process.exit(failed === 0 ? 0 : 1);
