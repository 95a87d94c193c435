/** Where the synthesis worker's file is and how to start it. */
export interface WorkerLocation {
  readonly url: URL;
  readonly execArgv: readonly string[];
}

/**
 * Finds the synthesis worker beside the module that asks: `synthesis-worker.js` next to the ESM
 * build, `synthesis-worker.cjs` next to the CJS build, and `synthesis-worker.ts` when running from
 * sources (tests in this repository), where the worker loads through `tsx` because Node's own type
 * stripping does not follow extension-less imports.
 *
 * @param moduleUrl - URL of the calling module; defaults to this module's own.
 */
export function synthesisWorkerLocation(moduleUrl: string = import.meta.url): WorkerLocation {
  const extension = /\.([cm]?[jt]s)(?:[?#].*)?$/.exec(moduleUrl)?.[1] ?? 'js';
  if (extension.endsWith('ts')) return { url: new URL('./synthesis-worker.ts', moduleUrl), execArgv: [] };
  return { url: new URL(`./synthesis-worker.${extension}`, moduleUrl), execArgv: [] };
}
