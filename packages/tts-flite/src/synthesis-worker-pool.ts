import { sharedFliteModule } from './flite-program';
import { SynthesisWorkerHandle } from './synthesis-worker-handle';
import { synthesisWorkerLocation, type WorkerLocation } from './worker-location';

export interface SynthesisWorkerPoolOptions {
  /** Warm workers kept for the next request. */
  readonly size: number;
  /**
   * How long a worker beyond `size` (started because requests overlapped) stays idle before it
   * is stopped, ms. Keeps several concurrent sessions from starting a cold worker per sentence.
   */
  readonly extraWorkerIdleMs: number;
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
  /** Stop timers of idle workers beyond the pool size. */
  readonly #expiries = new Map<SynthesisWorkerHandle, ReturnType<typeof setTimeout>>();
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
    // Referenced while someone awaits its warm-up; an idle warm worker must not keep the process alive.
    await Promise.all(
      [...this.#idle].map((worker) =>
        worker.ready.then(() => {
          if (!worker.isBusy) worker.setIdle();
        }),
      ),
    );
  }

  /** An idle worker, or a new one. The caller must hand it back with `release` or `discard`. */
  async acquire(): Promise<SynthesisWorkerHandle> {
    // Longest idle first: it has had the most time to prepare its next Flite instance.
    const idle = this.#idle.shift();
    if (idle) {
      this.#clearExpiry(idle);
      return idle;
    }
    return this.#spawn();
  }

  /**
   * Returns a worker whose job finished. It stays warm; one beyond the pool size is stopped
   * after `extraWorkerIdleMs` unless a request takes it first.
   */
  release(worker: SynthesisWorkerHandle): void {
    const isExtra = this.#idle.length >= this.#options.size;
    if (this.#isClosed || worker.hasExited || (isExtra && this.#options.extraWorkerIdleMs <= 0)) {
      void this.#terminate(worker);
      return;
    }
    worker.setIdle();
    this.#idle.push(worker);
    if (isExtra) this.#scheduleExpiry(worker);
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
    for (const worker of [...this.#expiries.keys()]) this.#clearExpiry(worker);
    this.#idle.length = 0;
    await Promise.all([...this.#alive].map((worker) => this.#terminate(worker, 'Flite TTS was closed')));
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

  #scheduleExpiry(worker: SynthesisWorkerHandle): void {
    const timer = setTimeout(() => {
      this.#expiries.delete(worker);
      const index = this.#idle.indexOf(worker);
      // Others may have stopped meanwhile: only stop this one if the pool stays full without it.
      if (index >= 0 && this.#idle.length > this.#options.size) void this.#terminate(worker);
    }, this.#options.extraWorkerIdleMs);
    // A pending expiry must not keep the process alive.
    timer.unref();
    this.#expiries.set(worker, timer);
  }

  #clearExpiry(worker: SynthesisWorkerHandle): void {
    const timer = this.#expiries.get(worker);
    if (timer !== undefined) clearTimeout(timer);
    this.#expiries.delete(worker);
  }

  #terminate(worker: SynthesisWorkerHandle, failJobWith?: string): Promise<void> {
    this.#clearExpiry(worker);
    this.#members.delete(worker);
    const index = this.#idle.indexOf(worker);
    if (index >= 0) this.#idle.splice(index, 1);
    return worker.terminate(failJobWith);
  }
}
