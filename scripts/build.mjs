// Builds every workspace that has a `build` script, each after the workspaces it depends on
// (npm's own `--workspaces` order is alphabetical, which builds @voxduplex/react before the
// web-audio declarations it needs). Stops at the first failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Workspace folders with their manifest, by package name. */
function workspaces() {
  const byName = new Map();
  for (const group of ['packages', 'examples']) {
    if (!existsSync(group)) continue;
    for (const dir of readdirSync(group)) {
      const manifestPath = join(group, dir, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      byName.set(manifest.name, { dir: join(group, dir), manifest });
    }
  }
  return byName;
}

/** Names in an order where every workspace comes after the workspaces it depends on. */
export function buildOrder(byName) {
  const order = [];
  const state = new Map(); // name → 'visiting' | 'done'
  const visit = (name, path) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...path, name].join(' → ')}`);
    state.set(name, 'visiting');
    const { manifest } = byName.get(name);
    const deps = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
    for (const dep of Object.keys(deps).sort()) if (byName.has(dep)) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...byName.keys()].sort()) visit(name, []);
  return order;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const byName = workspaces();
  for (const name of buildOrder(byName)) {
    const { dir, manifest } = byName.get(name);
    if (!manifest.scripts?.build) continue;
    const result = spawnSync('npm', ['run', 'build', '--silent', '-w', dir], { stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`build failed: ${name}`);
      process.exit(1);
    }
  }
}
