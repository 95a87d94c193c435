import type { FliteRequest } from './flite-program';

/** What the synthesis worker is started with (`workerData`). */
export interface SynthesisWorkerData {
  /** The compiled Flite binary, compiled once by the pool and shared by every worker. */
  readonly module: WebAssembly.Module;
  /** A short text spoken once at start so the engine's code is optimized before real requests. */
  readonly warmUpText: string;
  readonly warmUpVoice: string;
}

/** Pool → worker: synthesize one text. The worker answers each job in order. */
export interface SynthesisJob {
  readonly type: 'synthesize';
  readonly jobId: number;
  readonly request: FliteRequest;
}

/** Worker → pool. */
export type SynthesisWorkerMessage =
  /** Warm-up done and the next program instance prepared. */
  | { readonly type: 'ready' }
  /** One utterance's audio; `samples` is transferred. */
  | {
      readonly type: 'audio';
      readonly jobId: number;
      readonly samples: Int16Array;
      readonly sampleRate: number;
    }
  | { readonly type: 'done'; readonly jobId: number; readonly exitCode: number; readonly stderr: string }
  | { readonly type: 'failed'; readonly jobId: number; readonly message: string };
