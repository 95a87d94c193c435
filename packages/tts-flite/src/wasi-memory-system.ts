/**
 * The few WASI preview-1 calls the Flite command-line program makes, served from memory: its
 * arguments, one preopened directory of in-memory files, stdout/stderr captured as text.
 *
 * Flite writes its output WAV through ordinary file calls (create, append an utterance, patch the
 * header, close). Serving those from memory means no temporary files and lets us see each
 * utterance as soon as Flite closes the file after appending it.
 */

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
const ERRNO_NOENT = 44;

const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;

const OFLAGS_CREAT = 1;
const OFLAGS_TRUNC = 8;

const WHENCE_SET = 0;
const WHENCE_CUR = 1;
const WHENCE_END = 2;

const PREOPEN_FD = 3;
const ALL_RIGHTS = 0xffff_ffffn;

/** Thrown from `proc_exit` to unwind the program; carries the exit code. */
export class WasiExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`WASI program exited with code ${exitCode}`);
    this.name = 'WasiExit';
    this.exitCode = exitCode;
  }
}

/** A growable in-memory file. */
export class MemoryFile {
  #bytes = new Uint8Array(4096);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The file's current contents (a view, valid until the next write). */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#size);
  }

  truncate(): void {
    this.#size = 0;
  }

  write(position: number, chunk: Uint8Array): void {
    const end = position + chunk.length;
    if (end > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#size));
      this.#bytes = grown;
    }
    if (position > this.#size) this.#bytes.fill(0, this.#size, position);
    this.#bytes.set(chunk, position);
    this.#size = Math.max(this.#size, end);
  }

  read(position: number, length: number): Uint8Array {
    return this.#bytes.subarray(Math.min(position, this.#size), Math.min(position + length, this.#size));
  }
}

interface OpenFile {
  readonly name: string;
  readonly file: MemoryFile;
  position: number;
}

/** What one run of the program sees and what it leaves behind. */
export interface WasiRun {
  /** `argv`, program name first. */
  readonly args: readonly string[];
  /** Files in the preopened directory `.`, by name. Files the program creates are added here. */
  readonly files: Map<string, MemoryFile>;
  /** Called after the program closes a file it had open. */
  readonly onFileClosed?: (name: string, file: MemoryFile) => void;
}

/**
 * One WASI environment for one program instance. Build it, instantiate the module with
 * {@link MemoryWasi.imports}, then call {@link MemoryWasi.start} once with the run's arguments
 * and files. A WASI command cannot be started twice: instantiate again for the next run.
 */
export class MemoryWasi {
  #memory: WebAssembly.Memory | undefined;
  #run: WasiRun | undefined;
  #stdout = '';
  #stderr = '';
  readonly #open = new Map<number, OpenFile>();
  #nextFd = PREOPEN_FD + 1;
  readonly #decoder = new TextDecoder();

  /** Text the program printed to stdout during its run. */
  get stdout(): string {
    return this.#stdout;
  }

  /** Text the program printed to stderr during its run. */
  get stderr(): string {
    return this.#stderr;
  }

  /**
   * Runs the program's `_start` to its end (synchronously) and returns its exit code.
   * Anything the program threw that is not an exit is rethrown.
   */
  start(instance: WebAssembly.Instance, run: WasiRun): number {
    this.#memory = instance.exports.memory as WebAssembly.Memory;
    this.#run = run;
    try {
      (instance.exports._start as () => void)();
      return 0;
    } catch (error) {
      if (error instanceof WasiExit) return error.exitCode;
      throw error;
    }
  }

  /** The import object for `WebAssembly.instantiate`. */
  get imports(): WebAssembly.Imports {
    return { wasi_snapshot_preview1: this.#functions() };
  }

  #view(): DataView {
    if (!this.#memory) throw new Error('WASI call before start');
    return new DataView(this.#memory.buffer);
  }

  #bytes(pointer: number, length: number): Uint8Array {
    if (!this.#memory) throw new Error('WASI call before start');
    return new Uint8Array(this.#memory.buffer, pointer, length);
  }

  #functions(): Record<string, (...args: never[]) => number> {
    const encoder = new TextEncoder();
    const encodedArgs = () => (this.#run?.args ?? []).map((arg) => encoder.encode(`${arg}\0`));
    return {
      args_sizes_get: (countPointer: number, bufferSizePointer: number) => {
        const args = encodedArgs();
        const view = this.#view();
        view.setUint32(countPointer, args.length, true);
        view.setUint32(
          bufferSizePointer,
          args.reduce((sum, arg) => sum + arg.length, 0),
          true,
        );
        return ERRNO_SUCCESS;
      },
      args_get: (argvPointer: number, bufferPointer: number) => {
        const view = this.#view();
        let offset = bufferPointer;
        encodedArgs().forEach((arg, index) => {
          view.setUint32(argvPointer + index * 4, offset, true);
          this.#bytes(offset, arg.length).set(arg);
          offset += arg.length;
        });
        return ERRNO_SUCCESS;
      },
      clock_time_get: (_clockId: number, _precision: bigint, timePointer: number) => {
        const nanoseconds = BigInt(Math.round(performance.timeOrigin * 1e6 + performance.now() * 1e6));
        this.#view().setBigUint64(timePointer, nanoseconds, true);
        return ERRNO_SUCCESS;
      },
      fd_close: (fd: number) => {
        const open = this.#open.get(fd);
        if (!open) return ERRNO_BADF;
        this.#open.delete(fd);
        this.#run?.onFileClosed?.(open.name, open.file);
        return ERRNO_SUCCESS;
      },
      fd_fdstat_get: (fd: number, statPointer: number) => {
        const view = this.#view();
        let filetype: number;
        if (fd <= 2) filetype = FILETYPE_CHARACTER_DEVICE;
        else if (fd === PREOPEN_FD) filetype = FILETYPE_DIRECTORY;
        else if (this.#open.has(fd)) filetype = FILETYPE_REGULAR_FILE;
        else return ERRNO_BADF;
        view.setUint8(statPointer, filetype);
        view.setUint16(statPointer + 2, 0, true);
        view.setBigUint64(statPointer + 8, ALL_RIGHTS, true);
        view.setBigUint64(statPointer + 16, ALL_RIGHTS, true);
        return ERRNO_SUCCESS;
      },
      fd_fdstat_set_flags: () => ERRNO_SUCCESS,
      fd_prestat_get: (fd: number, prestatPointer: number) => {
        if (fd !== PREOPEN_FD) return ERRNO_BADF;
        const view = this.#view();
        view.setUint8(prestatPointer, 0);
        view.setUint32(prestatPointer + 4, 1, true);
        return ERRNO_SUCCESS;
      },
      fd_prestat_dir_name: (fd: number, pathPointer: number, pathLength: number) => {
        if (fd !== PREOPEN_FD || pathLength < 1) return ERRNO_BADF;
        this.#bytes(pathPointer, 1).set(encoder.encode('.'));
        return ERRNO_SUCCESS;
      },
      fd_read: (fd: number, iovsPointer: number, iovsCount: number, readPointer: number) => {
        const open = this.#open.get(fd);
        const view = this.#view();
        if (fd === 0) {
          view.setUint32(readPointer, 0, true);
          return ERRNO_SUCCESS;
        }
        if (!open) return ERRNO_BADF;
        let total = 0;
        for (let i = 0; i < iovsCount; i++) {
          const pointer = view.getUint32(iovsPointer + i * 8, true);
          const length = view.getUint32(iovsPointer + i * 8 + 4, true);
          const chunk = open.file.read(open.position, length);
          this.#bytes(pointer, chunk.length).set(chunk);
          open.position += chunk.length;
          total += chunk.length;
          if (chunk.length < length) break;
        }
        view.setUint32(readPointer, total, true);
        return ERRNO_SUCCESS;
      },
      fd_seek: (fd: number, offset: bigint, whence: number, newOffsetPointer: number) => {
        const open = this.#open.get(fd);
        if (!open) return ERRNO_BADF;
        const base =
          whence === WHENCE_SET
            ? 0
            : whence === WHENCE_CUR
              ? open.position
              : whence === WHENCE_END
                ? open.file.size
                : Number.NaN;
        const position = base + Number(offset);
        if (!(position >= 0)) return ERRNO_INVAL;
        open.position = position;
        this.#view().setBigUint64(newOffsetPointer, BigInt(position), true);
        return ERRNO_SUCCESS;
      },
      fd_write: (fd: number, iovsPointer: number, iovsCount: number, writtenPointer: number) => {
        const view = this.#view();
        const open = this.#open.get(fd);
        if (fd !== 1 && fd !== 2 && !open) return ERRNO_BADF;
        let total = 0;
        for (let i = 0; i < iovsCount; i++) {
          const pointer = view.getUint32(iovsPointer + i * 8, true);
          const length = view.getUint32(iovsPointer + i * 8 + 4, true);
          const chunk = this.#bytes(pointer, length);
          if (open) {
            open.file.write(open.position, chunk);
            open.position += length;
          } else if (fd === 1) this.#stdout += this.#decoder.decode(chunk);
          else this.#stderr += this.#decoder.decode(chunk);
          total += length;
        }
        view.setUint32(writtenPointer, total, true);
        return ERRNO_SUCCESS;
      },
      path_open: (
        dirFd: number,
        _dirFlags: number,
        pathPointer: number,
        pathLength: number,
        openFlags: number,
        _rightsBase: bigint,
        _rightsInheriting: bigint,
        _fdFlags: number,
        fdPointer: number,
      ) => {
        if (dirFd !== PREOPEN_FD || !this.#run) return ERRNO_BADF;
        const name = this.#decoder.decode(this.#bytes(pathPointer, pathLength).slice());
        let file = this.#run.files.get(name);
        if (!file) {
          if ((openFlags & OFLAGS_CREAT) === 0) return ERRNO_NOENT;
          file = new MemoryFile();
          this.#run.files.set(name, file);
        }
        if ((openFlags & OFLAGS_TRUNC) !== 0) file.truncate();
        const fd = this.#nextFd++;
        this.#open.set(fd, { name, file, position: 0 });
        this.#view().setUint32(fdPointer, fd, true);
        return ERRNO_SUCCESS;
      },
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },
    };
  }
}
