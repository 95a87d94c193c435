import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isWasmSimdSupported, RnnoiseWasm } from './rnnoise/rnnoise-wasm';

let loading: Promise<RnnoiseWasm> | undefined;

/**
 * The RNNoise module of `@sapphi-red/web-noise-suppressor` (a dependency of this package), read
 * from disk and compiled once per process: the SIMD build where WebAssembly SIMD runs (Node ≥ 16),
 * else the plain one.
 *
 * @example
 * ```ts
 * const session = createVoiceSession({ ...providers, pipeline: { audioIn: suppressNoise({ rnnoise: loadNodeRnnoise() }) } });
 * ```
 */
export function loadNodeRnnoise(): Promise<RnnoiseWasm> {
  loading ??= (async () => {
    const file = isWasmSimdSupported() ? 'rnnoise_simd.wasm' : 'rnnoise.wasm';
    const path = createRequire(import.meta.url).resolve(`@sapphi-red/web-noise-suppressor/${file}`);
    const bytes = new Uint8Array(await readFile(path));
    return new RnnoiseWasm(bytes, await WebAssembly.compile(bytes));
  })();
  // A failed read may be retried.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
