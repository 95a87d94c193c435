import { ScaffoldError } from './errors';

/** The oldest Node.js major the generated project runs on (its build tools and voxduplex need 22). */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * Throws a {@link ScaffoldError} (`node-too-old`) naming both versions when `version` (as in
 * `process.versions.node`, e.g. `"20.11.1"`) is older than {@link MINIMUM_NODE_MAJOR}.
 */
export function assertNodeVersion(version: string): void {
  const major = Number.parseInt(version, 10);
  if (major >= MINIMUM_NODE_MAJOR) return;
  throw new ScaffoldError(
    'node-too-old',
    `voxduplex needs Node.js ${MINIMUM_NODE_MAJOR} or later; this is Node.js ${version}.\n` +
      `Install a current Node.js (https://nodejs.org), then run this command again.`,
  );
}
