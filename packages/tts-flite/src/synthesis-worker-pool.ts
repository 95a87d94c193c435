import { sharedFliteModule } from './flite-program';
import { SynthesisWorkerHandle } from './synthesis-worker-handle';
import { synthesisWorkerLocation, type WorkerLocation } from './worker-location';

export interface SynthesisWorkerPoolOptions {
  /** Warm workers kept for the next request. */
  readonly size: number;
  /** Voice each new worker speaks its warm-up text with. */
  readonly warmUpVoice: string;
  readonly location?: WorkerLocation;
  /** Compiles the Flite binary; injectable so a test can count or fail it. */
  readonly compile?: () => Promise<WebAssembly.Module>;
}

/** How many worker threads a pool has started and how many have really stopped. */
export interface WorkerAccounting {
  readonly started: number;
  readonly exited: number;
  /** Threads alive now: `started - exited`. */
  readonly live: number;
}

/**
 * A small pool of warm Flite worker threads. Requests take an idle worker (or start an extra one
 * when all are busy); a finished worker goes back to the pool unless the pool is full; a cancelled
 * one is terminated and replaced so the next sentence does not pay the start-up cost.
 */
export class SynthesisWorkerPool {
  readonly #options: SynthesisWorkerPoolOptions;
  readonly #idle: SynthesisWorkerHandle[] = [];
  /** Workers not yet told to stop: what counts toward the pool's size. */
  readonly #members = new Set<SynthesisWorkerHandle>();
  /** Workers whose thread has not exited yet, stopping or not. */
  readonly #alive = new Set<SynthesisWorkerHandle>();
  #module: Promise<WebAssembly.Module> | undefined;
  #started = 0;
  #exited = 0;
  #isClosed = false;

  constructor(options: SynthesisWorkerPoolOptions) {
    this.#options = options;
  }

  get accounting(): WorkerAccounting {
    return { started: this.#started, exited: this.#exited, live: this.#started - this.#exited };
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Starts workers until the pool is full and waits until all of them are warm. */
  async warmUp(): Promise<void> {
    while (!this.#isClosed && this.#members.size < this.#options.size) this.#idle.push(await this.#spawn());
    await Promise.all([...this.#idle].map((worker) => worker.ready));
  }

  /** An idle worker, or a new one. The caller must hand it back with `release` or `discard`. */
  async acquire(): Promise<SynthesisWorkerHandle> {
    // Longest idle first: it has had the most time to prepare its next Flite instance.
    const idle = this.#idle.shift();
    if (idle) return idle;
    return this.#spawn();
  }

  /** Returns a worker whose job finished; it stays warm if the pool has room. */
  release(worker: SynthesisWorkerHandle): void {
    if (this.#isClosed || worker.hasExited || this.#idle.length >= this.#options.size) {
      void this.#terminate(worker);
      return;
    }
    worker.setIdle();
    this.#idle.push(worker);
  }

  /** Terminates a worker (cancelled or broken job) and starts a warm replacement if the pool is short. */
  discard(worker: SynthesisWorkerHandle): void {
    void this.#terminate(worker);
    if (!this.#isClosed && this.#members.size < this.#options.size) {
      this.#spawn().then(
        (replacement) => this.release(replacement),
        () => {},
      );
    }
  }

  /** Terminates every worker and waits until their threads have stopped. Idempotent. */
  async close(): Promise<void> {
    this.#isClosed = true;
    this.#idle.length = 0;
    await Promise.all([...this.#alive].map((worker) => this.#terminate(worker)));
  }

  async #spawn(): Promise<SynthesisWorkerHandle> {
    this.#module ??= (this.#options.compile ?? sharedFliteModule)();
    let module: WebAssembly.Module;
    try {
      module = await this.#module;
    } catch (error) {
      this.#module = undefined;
      throw error;
    }
    if (this.#isClosed) throw new Error('Flite worker pool is closed');
    const worker = new SynthesisWorkerHandle(this.#options.location ?? synthesisWorkerLocation(), {
      module,
      warmUpText: 'Ready.',
      warmUpVoice: this.#options.warmUpVoice,
    });
    this.#started++;
    this.#members.add(worker);
    this.#alive.add(worker);
    void worker.exited.then(() => {
      this.#exited++;
      this.#alive.delete(worker);
      this.#members.delete(worker);
      const index = this.#idle.indexOf(worker);
      if (index >= 0) this.#idle.splice(index, 1);
    });
    return worker;
  }

  #terminate(worker: SynthesisWorkerHandle): Promise<void> {
    this.#members.delete(worker);
    const index = this.#idle.indexOf(worker);
    if (index >= 0) this.#idle.splice(index, 1);
    return worker.terminate();
  }
}
