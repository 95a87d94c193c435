import { Worker } from 'node:worker_threads';
import type { FliteAudio, FliteRequest } from './flite-program';
import type { WorkerLocation } from './worker-location';
import type { SynthesisJob, SynthesisWorkerData, SynthesisWorkerMessage } from './worker-protocol';

/** Callbacks of one job; exactly one of `onDone` / `onFailed` ends it. */
export interface SynthesisJobHandlers {
  onAudio(audio: FliteAudio): void;
  onDone(exitCode: number, stderr: string): void;
  onFailed(message: string): void;
}

/**
 * One synthesis worker thread and the job it runs. Owned by the pool; a job's caller only sees
 * the handlers. `exited` settles when the thread has really stopped.
 */
export class SynthesisWorkerHandle {
  readonly #worker: Worker;
  /** Settles once the worker has warmed up (or rejects if it died first). */
  readonly ready: Promise<void>;
  /** Settles when the thread has stopped, for whatever reason. */
  readonly exited: Promise<void>;
  #job: { id: number; handlers: SynthesisJobHandlers } | undefined;
  #nextJobId = 0;
  #hasExited = false;

  constructor(location: WorkerLocation, data: SynthesisWorkerData) {
    this.#worker = new Worker(location.url, { workerData: data, execArgv: [...location.execArgv] });
    let markReady: () => void = () => {};
    let markFailed: (error: Error) => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // A pool may never wait on `ready` (e.g. closed at once); do not report that as unhandled.
    this.ready.catch(() => {});
    this.#worker.on('message', (message: SynthesisWorkerMessage) => {
      if (message.type === 'ready') {
        markReady();
        return;
      }
      const job = this.#job;
      if (!job || job.id !== message.jobId) return;
      if (message.type === 'audio') job.handlers.onAudio(message);
      else {
        this.#job = undefined;
        if (message.type === 'done') job.handlers.onDone(message.exitCode, message.stderr);
        else job.handlers.onFailed(message.message);
      }
    });
    const fail = (reason: string) => {
      markFailed(new Error(reason));
      const job = this.#job;
      this.#job = undefined;
      job?.handlers.onFailed(reason);
    };
    this.#worker.on('error', (error) => fail(`Flite worker crashed: ${error.message}`));
    this.exited = new Promise<void>((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#hasExited = true;
        fail(`Flite worker stopped (exit code ${code})`);
        resolve();
      });
    });
  }

  get hasExited(): boolean {
    return this.#hasExited;
  }

  get isBusy(): boolean {
    return this.#job !== undefined;
  }

  /** Sends one job. The worker queues it behind its warm-up, so this may be called before `ready`. */
  start(request: FliteRequest, handlers: SynthesisJobHandlers): void {
    if (this.#job) throw new Error('Flite worker is busy');
    const id = ++this.#nextJobId;
    this.#job = { id, handlers };
    this.#worker.ref();
    const job: SynthesisJob = { type: 'synthesize', jobId: id, request };
    this.#worker.postMessage(job);
  }

  /** An idle worker must not keep the process alive; a busy one must. */
  setIdle(): void {
    this.#worker.unref();
  }

  /**
   * Stops the thread at once (mid-synthesis if need be). A running job is failed with
   * `failJobWith` if given (the job's owner did not ask for this), else dropped silently;
   * no handler is called afterwards.
   */
  terminate(failJobWith?: string): Promise<void> {
    const job = this.#job;
    this.#job = undefined;
    if (job && failJobWith !== undefined) job.handlers.onFailed(failJobWith);
    void this.#worker.terminate();
    return this.exited;
  }
}
