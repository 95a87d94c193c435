/** What the inference worker is started with. */
export interface InferenceWorkerData {
  readonly modelPath: string;
}

/** Main thread → inference worker. `window` is 512 samples in -1..1; its buffer is transferred. */
export type InferenceRequest =
  | { readonly type: 'open'; readonly stream: number }
  | { readonly type: 'score'; readonly stream: number; readonly window: Float32Array }
  | { readonly type: 'close'; readonly stream: number }
  /** The last stream closed: finish the run under way, release the model, and end the thread. */
  | { readonly type: 'shutdown' };

/** Inference worker → main thread. `failed` is final: the worker is of no more use. */
export type InferenceReply =
  | { readonly type: 'ready' }
  | { readonly type: 'scored'; readonly stream: number; readonly probability: number }
  | { readonly type: 'failed'; readonly message: string };

/**
 * Finds the inference worker beside the module that asks: `inference-worker.js` next to the ESM
 * build, `.cjs` next to the CJS build, `.ts` when running from sources (this repository's tests).
 */
export function inferenceWorkerUrl(moduleUrl: string): URL {
  const extension = /\.([cm]?[jt]s)(?:[?#].*)?$/.exec(moduleUrl)?.[1] ?? 'js';
  return new URL(`./inference-worker.${extension.endsWith('ts') ? 'ts' : extension}`, moduleUrl);
}
