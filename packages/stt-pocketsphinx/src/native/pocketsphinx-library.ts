import { SystemDependencyError } from '@voxduplex/core';
import koffi, { type LibraryHandle } from 'koffi';
import { POCKETSPHINX_INSTALL_LINE } from './install-hint';

/** An opaque C pointer (`cmd_ln_t *`, `ps_decoder_t *`) as koffi hands it back. */
export type NativeHandle = unknown;

type Callback<T> = (error: unknown, result: T) => void;

/** A C function bound by koffi: callable directly (blocks) or through `.async` (worker thread). */
interface NativeFunction<Args extends unknown[], Result> {
  (...args: Args): Result;
  async(...args: [...Args, Callback<Result>]): void;
}

/** Where the two shared libraries are looked up (a bare soname goes through the dynamic loader). */
export interface LibraryPaths {
  readonly pocketsphinx: string;
  readonly sphinxbase: string;
}

/** The Debian 12 sonames of `libpocketsphinx3` and `libsphinxbase3`. */
export const DEFAULT_LIBRARY_PATHS: LibraryPaths = {
  pocketsphinx: 'libpocketsphinx.so.3',
  sphinxbase: 'libsphinxbase.so.3',
};

/**
 * The slice of the PocketSphinx 5prealpha C API the recognizer uses. Signatures follow
 * `pocketsphinx.h` / `cmd_ln.h` of Debian's 0.8+5prealpha; `cmd_ln_init` is variadic and takes
 * `'str', value` pairs ending with `'str', null`.
 */
export interface PocketsphinxLibrary {
  readonly cmdLnInit: (...args: unknown[]) => NativeHandle;
  readonly cmdLnFree: NativeFunction<[NativeHandle], number>;
  readonly psArgs: NativeFunction<[], NativeHandle>;
  readonly psInit: NativeFunction<[NativeHandle], NativeHandle>;
  readonly psSetJsgfString: NativeFunction<[NativeHandle, string, string], number>;
  readonly psSetSearch: NativeFunction<[NativeHandle, string], number>;
  readonly psGetSearch: NativeFunction<[NativeHandle], string | null>;
  readonly psStartUtt: NativeFunction<[NativeHandle], number>;
  readonly psProcessRaw: NativeFunction<[NativeHandle, Int16Array, number, number, number], number>;
  readonly psGetHyp: NativeFunction<[NativeHandle, null], string | null>;
  readonly psGetInSpeech: NativeFunction<[NativeHandle], number>;
  readonly psEndUtt: NativeFunction<[NativeHandle], number>;
  readonly psFree: NativeFunction<[NativeHandle], number>;
}

const loaded = new Map<string, PocketsphinxLibrary>();

/**
 * Loads and binds libpocketsphinx once per pair of paths. A library the dynamic loader cannot
 * find becomes a {@link SystemDependencyError} whose message is the `apt-get install` line.
 */
export function loadPocketsphinx(paths: LibraryPaths = DEFAULT_LIBRARY_PATHS): PocketsphinxLibrary {
  const key = `${paths.sphinxbase}\n${paths.pocketsphinx}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  // sphinxbase first: libpocketsphinx links against it, and a custom path must win over the soname.
  const sphinxbase = open(paths.sphinxbase);
  const pocketsphinx = open(paths.pocketsphinx);
  const bind = <Args extends unknown[], Result>(lib: LibraryHandle, signature: string) =>
    lib.func(signature) as unknown as NativeFunction<Args, Result>;
  const library: PocketsphinxLibrary = {
    cmdLnInit: sphinxbase.func('void *cmd_ln_init(void *inout, void *defn, int strict, ...)'),
    cmdLnFree: bind(sphinxbase, 'int cmd_ln_free_r(void *config)'),
    psArgs: bind(pocketsphinx, 'void *ps_args()'),
    psInit: bind(pocketsphinx, 'void *ps_init(void *config)'),
    psSetJsgfString: bind(
      pocketsphinx,
      'int ps_set_jsgf_string(void *ps, const char *name, const char *jsgf)',
    ),
    psSetSearch: bind(pocketsphinx, 'int ps_set_search(void *ps, const char *name)'),
    psGetSearch: bind(pocketsphinx, 'const char *ps_get_search(void *ps)'),
    psStartUtt: bind(pocketsphinx, 'int ps_start_utt(void *ps)'),
    psProcessRaw: bind(
      pocketsphinx,
      'int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)',
    ),
    psGetHyp: bind(pocketsphinx, 'const char *ps_get_hyp(void *ps, int32_t *out_best_score)'),
    psGetInSpeech: bind(pocketsphinx, 'uint8_t ps_get_in_speech(void *ps)'),
    psEndUtt: bind(pocketsphinx, 'int ps_end_utt(void *ps)'),
    psFree: bind(pocketsphinx, 'int ps_free(void *ps)'),
  };
  loaded.set(key, library);
  return library;
}

function open(path: string): LibraryHandle {
  try {
    return koffi.load(path);
  } catch (error) {
    throw new SystemDependencyError(
      `PocketSphinx is not installed (cannot load ${path}). Install it with: ${POCKETSPHINX_INSTALL_LINE}`,
      { cause: error, source: 'stt:pocketsphinx' },
    );
  }
}

/** Calls a bound function on koffi's worker threads, so a slow call never blocks the event loop. */
export function callAsync<Args extends unknown[], Result>(
  fn: NativeFunction<Args, Result>,
  ...args: Args
): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    fn.async(...args, (error: unknown, result: Result) => (error ? reject(error) : resolve(result)));
  });
}
