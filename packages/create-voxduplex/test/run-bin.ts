import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The package folder (`packages/create-voxduplex`). */
export const PACKAGE_DIR = join(import.meta.dirname, '..');

/** tsx's loader, by URL: `--import tsx` would look for it from the scratch directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** What a run of the command printed, and its exit status. */
export interface BinRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `create-voxduplex` command from its source (through tsx, as Node runs the built
 * `dist/index.js`) in `cwd`.
 */
export function runBin(args: readonly string[], cwd: string): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX_LOADER, join(PACKAGE_DIR, 'src', 'index.ts'), ...args],
      { cwd, encoding: 'utf8' },
      (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A fresh scratch directory, and how to remove it. */
export function scratchDir(): { readonly path: string; readonly remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'create-voxduplex-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
