// publint, are-the-types-wrong and the metadata checks (package-metadata.mjs) on every publishable
// package (run after `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metadataProblems } from './package-metadata.mjs';

const rootLicense = readFileSync('LICENSE', 'utf8');
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
    // Every resolver attw knows, node10 included: subpath exports reach it through typesVersions.
    ['attw', ['--pack', '.']],
  ]) {
    const result = spawnSync('npx', ['--no-install', tool, ...args], { cwd, stdio: 'inherit' });
    if (result.status !== 0) {
      failed++;
      console.error(`${tool} failed for ${manifest.name}`);
    }
  }
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd, encoding: 'utf8' });
  if (pack.status !== 0) {
    failed++;
    console.error(`npm pack failed for ${manifest.name}:\n${pack.stderr}`);
    continue;
  }
  const packedFiles = JSON.parse(pack.stdout)[0].files.map((file) => file.path);
  const problems = metadataProblems({ dir, manifest, packedFiles, rootLicense });
  if (problems.length > 0) {
    failed++;
    console.error(`metadata of ${manifest.name}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
console.log(`package checks: ${checked} packages, ${failed} failures`);
process.exit(failed === 0 ? 0 : 1);
