// A fresh app folder outside the repository (so nothing resolves the workspace's node_modules),
// installed the way a user would: `npm install` with `@voxduplex/*` from the local registry and
// everything else from the usual one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './processes.mjs';

const INSTALL_TIMEOUT_MS = 240_000;

/** Only our scope goes to the local registry; third-party packages come from the normal one. */
export function scopedNpmrc(registryUrl) {
  return `@voxduplex:registry=${registryUrl}\n`;
}

/** `{ name: '*' }` for each name: the newest version, as `npm install <name>` picks today. */
export function latest(...names) {
  return Object.fromEntries(names.map((name) => [name, '*']));
}

/** Writes `files` (relative path → text) under `dir`, creating folders as needed. */
export function writeFiles(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * Creates `workDir/<name>` with `package.json`, the scoped `.npmrc` and `files`, then runs
 * `npm install`. Returns `{ dir, name, run(command, args, options) }`.
 */
export async function createScratchApp({ workDir, name, registryUrl, manifest, files = {} }) {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, {
    'package.json': `${JSON.stringify({ name, version: '0.0.0', private: true, ...manifest }, null, 2)}\n`,
    '.npmrc': scopedNpmrc(registryUrl),
    ...files,
  });
  await npmInstall(dir);
  return scratchApp(dir, name);
}

/** `npm install` in `dir` as a user runs it (lockfile written, no audit). */
export function npmInstall(dir) {
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    timeoutMs: INSTALL_TIMEOUT_MS,
    // onnxruntime-node's install script downloads extra binaries; the CPU one is in the package.
    env: { ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
}

/** An app folder that is already installed. */
export function scratchApp(dir, name) {
  return {
    dir,
    name,
    run: (command, args, options = {}) => run(command, args, { cwd: dir, timeoutMs: 120_000, ...options }),
  };
}

/** Bytes of `dir/node_modules` as `du` counts them (apparent sizes), in MB (10^6). */
export function nodeModulesMb(dir) {
  return duBytes([join(dir, 'node_modules')]) / 1e6;
}

/**
 * What the app's runtime dependencies alone take (dev dependencies such as the compiler and the
 * bundler left out): `{ packages, mb }`.
 */
export function runtimeDependencies(dir) {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: dir,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => path.includes('/node_modules/'));
  // Each package folder without its own nested node_modules, so nothing is counted twice.
  return { packages: listed.length, mb: duBytes(listed, ['--exclude=node_modules']) / 1e6 };
}

function duBytes(paths, options = []) {
  const output = execFileSync('du', ['-sbc', ...options, ...paths], { encoding: 'utf8' });
  return Number(output.trim().split('\n').at(-1).split('\t')[0]);
}
