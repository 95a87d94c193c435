// The packages a user can install: every non-private workspace under packages/, packed as npm
// would publish them (run after `npm run build`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './processes.mjs';

/**
 * Public workspace packages, `{ name, dir, manifest }`. A package folder git does not track yet
 * (a colleague's work in progress) is left out and listed in `untracked`: the check proves what
 * is committed.
 */
export function publicPackages(root) {
  const tracked = new Set(
    execFileSync('git', ['ls-files', 'packages/*/package.json'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean),
  );
  const packages = [];
  const untracked = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join('packages', dir, 'package.json');
    if (!existsSync(join(root, manifestPath))) continue;
    const manifest = JSON.parse(readFileSync(join(root, manifestPath), 'utf8'));
    if (manifest.private) continue;
    if (!tracked.has(manifestPath)) untracked.push(join('packages', dir));
    else packages.push({ name: manifest.name, dir: join(root, 'packages', dir), manifest });
  }
  return { packages, untracked };
}

/** `npm pack`s every package into `destination` in one npm run; returns the tarball paths. */
export async function packPackages(root, packages, destination) {
  const workspaces = packages.flatMap(({ dir }) => ['-w', dir]);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--loglevel=error', '--pack-destination', destination, ...workspaces],
    { cwd: root, timeoutMs: 120_000 },
  );
  return JSON.parse(stdout).map(({ filename }) => join(destination, filename));
}
