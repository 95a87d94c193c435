import { ConfigError } from '@voxduplex/core';

/** The C functions of an RNNoise build this package calls (sapphi-red's and Jitsi's emscripten builds). */
interface RnnoiseExports {
  readonly memory: WebAssembly.Memory;
  readonly emscripten_stack_init?: () => void;
  readonly __wasm_call_ctors?: () => void;
  readonly rnnoise_create: (model: number) => number;
  readonly rnnoise_destroy: (state: number) => void;
  readonly rnnoise_process_frame: (state: number, out: number, input: number) => number;
  readonly malloc: (bytes: number) => number;
  readonly free: (pointer: number) => void;
}

const REQUIRED_EXPORTS = [
  'memory',
  'rnnoise_create',
  'rnnoise_destroy',
  'rnnoise_process_frame',
  'malloc',
  'free',
];

/** One instantiated module: its heap holds the state of every denoiser opened on it. */
export interface RnnoiseRuntime {
  readonly exports: RnnoiseExports;
  /** The heap as floats (a fresh view: the heap may have grown since the last call). */
  heap(): Float32Array;
}

/**
 * A compiled RNNoise WebAssembly module, shared by every denoiser opened on it. It instantiates
 * the module on the first {@link RnnoiseWasm.acquire} and drops the instance (and its heap) when
 * the last denoiser is released, so an idle server or a stopped capture holds no wasm memory.
 * Make one with `loadRnnoise` (any environment) or `loadNodeRnnoise` (`/node`).
 */
export class RnnoiseWasm {
  /** The module's bytes (the browser capture sends them to its worklet). */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly module: WebAssembly.Module;
  #runtime: RnnoiseRuntime | undefined;
  #users = 0;

  /** @throws ConfigError when `bytes` is not WebAssembly or not an RNNoise build. */
  constructor(bytes: Uint8Array<ArrayBuffer>, module?: WebAssembly.Module) {
    this.bytes = bytes;
    try {
      this.module = module ?? new WebAssembly.Module(bytes);
    } catch (error) {
      throw new ConfigError('the RNNoise bytes are not a WebAssembly module', [], { cause: error });
    }
    const names = new Set(WebAssembly.Module.exports(this.module).map((entry) => entry.name));
    const missing = REQUIRED_EXPORTS.filter((name) => !names.has(name));
    if (missing.length > 0)
      throw new ConfigError('the WebAssembly module is not an RNNoise build', [
        `missing exports: ${missing.join(', ')}`,
      ]);
  }

  /** Denoisers open on this module now. */
  get openDenoisers(): number {
    return this.#users;
  }

  /** Whether an instance (with its heap) exists now: only while a denoiser is open. */
  get isInstantiated(): boolean {
    return this.#runtime !== undefined;
  }

  /** The shared instance, made on first use; pair every call with {@link RnnoiseWasm.release}. */
  acquire(): RnnoiseRuntime {
    this.#runtime ??= instantiate(this.module);
    this.#users++;
    return this.#runtime;
  }

  release(): void {
    if (this.#users === 0) return;
    this.#users--;
    if (this.#users === 0) this.#runtime = undefined;
  }
}

/** Synchronous, so it also runs inside an AudioWorklet (no top-level await there). */
function instantiate(module: WebAssembly.Module): RnnoiseRuntime {
  let memory: WebAssembly.Memory | undefined;
  // The three functions an emscripten build of RNNoise imports; nothing else is reachable.
  const env = {
    emscripten_memcpy_big: (dest: number, src: number, count: number) => {
      const bytes = new Uint8Array(memory!.buffer);
      bytes.copyWithin(dest, src, src + count);
    },
    emscripten_resize_heap: (requested: number) => {
      const pages = Math.ceil((requested - memory!.buffer.byteLength) / 65_536);
      try {
        memory!.grow(pages);
        return 1;
      } catch {
        return 0;
      }
    },
    __assert_fail: () => {
      throw new Error('RNNoise assertion failed');
    },
  };
  const instance = new WebAssembly.Instance(module, { env });
  const exports = instance.exports as unknown as RnnoiseExports;
  memory = exports.memory;
  exports.emscripten_stack_init?.();
  exports.__wasm_call_ctors?.();
  return { exports, heap: () => new Float32Array(exports.memory.buffer) };
}

/** What {@link loadRnnoise} accepts: the `.wasm` bytes, or a fetch of them. */
export type RnnoiseSource = ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response>;

/**
 * Prepares an RNNoise build for denoisers. In the browser, fetch the `.wasm` of
 * `@sapphi-red/web-noise-suppressor` (`rnnoise_simd.wasm`, or `rnnoise.wasm` where SIMD is missing)
 * from where your bundler serves it; on Node, `loadNodeRnnoise()` from `/node` does it for you.
 *
 * @example
 * ```ts
 * import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url'; // Vite
 * const rnnoise = await loadRnnoise(fetch(wasmUrl));
 * ```
 * @throws ConfigError when the source is not an RNNoise build.
 */
export async function loadRnnoise(source: RnnoiseSource): Promise<RnnoiseWasm> {
  const resolved = await source;
  if (isResponse(resolved)) {
    if (!resolved.ok) throw new ConfigError(`could not fetch the RNNoise module: HTTP ${resolved.status}`);
    return loadRnnoise(await resolved.arrayBuffer());
  }
  // A copy: the caller may reuse its buffer, and the worklet is sent these bytes.
  const view = ArrayBuffer.isView(resolved)
    ? new Uint8Array(resolved.buffer, resolved.byteOffset, resolved.byteLength)
    : new Uint8Array(resolved);
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(view);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (error) {
    throw new ConfigError('the RNNoise bytes are not a WebAssembly module', [], { cause: error });
  }
  return new RnnoiseWasm(bytes, module);
}

function isResponse(value: unknown): value is Response {
  return typeof value === 'object' && value !== null && typeof (value as Response).arrayBuffer === 'function';
}

/** Whether this runtime runs WebAssembly SIMD (then the `_simd` build is ≈ 25 % faster). */
export function isWasmSimdSupported(): boolean {
  // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
  return WebAssembly.validate(
    new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253,
      98, 11,
    ]),
  );
}
