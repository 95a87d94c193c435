// publint + are-the-types-wrong on every publishable package (run after `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let failed = 0;
let checked = 0;
for (const dir of readdirSync('packages')) {
  const manifestPath = join('packages', dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  checked++;
  const cwd = join('packages', dir);
  for (const [tool, args] of [
    ['publint', ['--strict']],
    // node16+ and bundlers are the supported resolvers; node10 cannot see subpath exports.
    ['attw', ['--pack', '.', '--profile', 'node16']],
  ]) {
    const result = spawnSync('npx', ['--no-install', tool, ...args], { cwd, stdio: 'inherit' });
    if (result.status !== 0) {
      failed++;
      console.error(`${tool} failed for ${manifest.name}`);
    }
  }
}
console.log(`package checks: ${checked} packages, ${failed} failures`);
process.exit(failed === 0 ? 0 : 1);
