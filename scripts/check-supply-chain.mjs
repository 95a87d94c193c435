// Supply-chain check of what the published @voxduplex/* packages install for their users:
// fails on any deprecated package in their runtime dependency tree (as locked in
// package-lock.json), and on a direct runtime dependency a major line behind the registry's
// latest. `npm audit` cannot run where the registry answers its audit endpoint with 405; this
// is the part we can check, not a replacement for it.
//
//   node scripts/check-supply-chain.mjs [--offline] [--fresh] [--strict]
//     --offline  lockfile only: the `deprecated` npm recorded when it resolved each package
//     --fresh    ask the registry again instead of trusting npm's cache
//     --strict   also fail when the registry does not report deprecations at all (some mirrors
//                strip the field; a canary, request@2.88.2, deprecated since 2020, tells)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The workspace folders the root package.json names (`packages/*` style globs only). */
export function workspaceDirs(root) {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent))
      .map((dir) => `${parent}/${dir}`)
      .filter((dir) => existsSync(join(root, dir, 'package.json')));
  });
}

/** Where Node would find `name` from the lockfile location `from`: nearest node_modules upward. */
export function resolveInLock(packages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
}

/** The package name of a lockfile location (`…/node_modules/@scope/name` → `@scope/name`). */
export function nameAt(location, entry) {
  if (entry?.name) return entry.name;
  const cut = location.lastIndexOf('node_modules/');
  return location.slice(cut + 'node_modules/'.length);
}

/**
 * Walks the lockfile from each public workspace through `dependencies`, `optionalDependencies`
 * and required `peerDependencies` (what a user's install brings), following workspace links.
 * Dev dependencies are never followed. Returns one entry per registry package version, with the
 * chain that first reached it, and the direct dependencies of each public workspace.
 */
export function runtimePackages(lock, publicDirs) {
  const { packages } = lock;
  const found = new Map();
  const direct = [];
  const queue = publicDirs.map((dir) => ({ location: dir, chain: [packages[dir]?.name ?? dir], root: dir }));
  const seen = new Set();
  while (queue.length > 0) {
    const { location, chain, root } = queue.shift();
    if (seen.has(location)) continue;
    seen.add(location);
    const entry = packages[location];
    if (!entry) continue;
    if (entry.link) {
      queue.push({ location: entry.resolved, chain, root: entry.resolved });
      continue;
    }
    const isWorkspace = !location.includes('node_modules/');
    if (!isWorkspace) {
      const key = `${nameAt(location, entry)}@${entry.version}`;
      if (!found.has(key))
        found.set(key, {
          name: nameAt(location, entry),
          version: entry.version,
          chain,
          deprecated: entry.deprecated,
        });
    }
    const optionalPeers = new Set(
      Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta?.optional)
        .map(([name]) => name),
    );
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)),
    ];
    for (const name of new Set(wanted)) {
      const target = resolveInLock(packages, location, name);
      // Optional dependencies for other platforms are absent from the lockfile: nothing to check.
      if (!target) continue;
      const targetEntry = packages[target];
      if (isWorkspace && location === root && !targetEntry.link)
        direct.push({ dependent: entry.name ?? location, name, version: targetEntry.version });
      queue.push({
        location: target,
        chain: [...chain, `${name}@${targetEntry.version ?? 'workspace'}`],
        root,
      });
    }
  }
  return { packages: [...found.values()], direct };
}

/** The part of a version whose change may break callers: `3.x` → [3], `0.4.x` → [0, 4]. */
export function majorLine(version) {
  const [major, minor] = String(version)
    .split('.')
    .map((part) => Number.parseInt(part, 10));
  return major > 0 ? [major] : [0, minor ?? 0];
}

/** Whether `installed` is on an older major line than `latest`. */
export function isMajorBehind(installed, latest) {
  const [a, b] = [majorLine(installed), majorLine(latest)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * The problems, given the registry's documents (`packuments`: name → `{ versions, 'dist-tags' }`,
 * possibly missing for a name the registry did not answer).
 */
export function findProblems({ packages, direct }, packuments) {
  const problems = [];
  for (const pkg of packages) {
    const deprecated = packuments.get(pkg.name)?.versions?.[pkg.version]?.deprecated ?? pkg.deprecated;
    if (deprecated)
      problems.push({
        kind: 'deprecated',
        id: `${pkg.name}@${pkg.version}`,
        detail: `${deprecated} (via ${pkg.chain.join(' > ')})`,
      });
  }
  const reported = new Set();
  for (const dep of direct) {
    const latest = packuments.get(dep.name)?.['dist-tags']?.latest;
    const id = `${dep.name}@${dep.version}`;
    if (!latest || !isMajorBehind(dep.version, latest) || reported.has(`${dep.dependent} ${id}`)) continue;
    reported.add(`${dep.dependent} ${id}`);
    problems.push({
      kind: 'major-behind',
      id,
      detail: `latest is ${latest} (dependency of ${dep.dependent})`,
    });
  }
  return problems;
}

/** npm's own registry client (the one inside the npm running this), with npm's registry and cache. */
function npmRegistryFetch() {
  const npmCli = process.env.npm_execpath ?? execFileSync('which', ['npm'], { encoding: 'utf8' }).trim();
  const fetch = createRequire(realpathSync(npmCli))('npm-registry-fetch');
  const config = (key) => execFileSync('npm', ['config', 'get', key], { encoding: 'utf8' }).trim();
  return { fetch, registry: config('registry'), cache: join(config('cache'), '_cacache') };
}

/** A version deprecated for years: a registry that does not say so strips deprecations. */
export const DEPRECATION_CANARY = { name: 'request', version: '2.88.2' };

/** Fetches the abbreviated registry document of each name, 16 at a time. */
async function fetchPackuments(names, { fresh }) {
  const { fetch, registry, cache } = npmRegistryFetch();
  const packuments = new Map();
  const failures = [];
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      try {
        const document = await fetch.json(`/${name.replace('/', '%2f')}`, {
          registry,
          cache,
          preferOffline: !fresh,
          headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
        });
        packuments.set(name, document);
      } catch (error) {
        failures.push(`${name}: ${error.code ?? error.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { packuments, failures };
}

async function main() {
  const started = performance.now();
  const root = dirname(dirname(new URL(import.meta.url).pathname));
  const args = new Set(process.argv.slice(2));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const publicDirs = workspaceDirs(root).filter(
    (dir) => !JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).private,
  );
  const tree = runtimePackages(lock, publicDirs);
  const names = [...new Set(tree.packages.map((p) => p.name))];
  const isOffline = args.has('--offline');
  const { packuments, failures } = isOffline
    ? { packuments: new Map(), failures: [] }
    : await fetchPackuments([...names, DEPRECATION_CANARY.name], { fresh: args.has('--fresh') });
  const problems = findProblems(tree, packuments);
  const canary = packuments.get(DEPRECATION_CANARY.name)?.versions?.[DEPRECATION_CANARY.version];
  const isBlind = isOffline || !canary?.deprecated;
  if (isBlind)
    console.warn(
      isOffline
        ? '! offline: deprecations are those npm recorded in package-lock.json when it resolved each package'
        : `! this registry does not report deprecations (${DEPRECATION_CANARY.name}@${DEPRECATION_CANARY.version} ` +
            'shows none): only the lockfile and the major-version check can fail here',
    );
  for (const problem of problems) console.error(`✗ ${problem.kind}: ${problem.id} — ${problem.detail}`);
  for (const failure of failures) console.error(`✗ registry did not answer for ${failure}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `supply chain: ${publicDirs.length} public packages, ${tree.packages.length} runtime packages ` +
      `(${names.length} names, ${args.has('--offline') ? 'lockfile only' : `${packuments.size} registry documents`}), ` +
      `${problems.filter((p) => p.kind === 'deprecated').length} deprecated, ` +
      `${problems.filter((p) => p.kind === 'major-behind').length} direct dependencies a major behind, ${seconds} s`,
  );
  if (problems.length > 0 || failures.length > 0) {
    console.error(
      'supply-chain check failed: upgrade or replace the packages above (run `npm audit` where it works).',
    );
    process.exit(1);
  }
  if (isBlind && args.has('--strict')) {
    console.error(
      'supply-chain check failed (--strict): the registry cannot tell which packages are deprecated.',
    );
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
