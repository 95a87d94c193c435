// Worker-thread entry: runs the Silero model for every stream of one model file, off the event
// loop (onnxruntime-node runs inference on the calling thread). Windows waiting when a run starts
// go into one batch, at most one per stream (a stream's next window needs this one's state): a
// batch of four costs about as much as one window. Only package and type imports, so the file
// also runs from sources under Node's type stripping.
import { parentPort, workerData } from 'node:worker_threads';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { InferenceReply, InferenceRequest, InferenceWorkerData } from './inference-protocol';

const WINDOW_SAMPLES = 512;
/** Samples of the previous window the model sees in front of each window. */
const CONTEXT_SAMPLES = 64;
const INPUT_SAMPLES = CONTEXT_SAMPLES + WINDOW_SAMPLES;
const STATE_HALF = 128;

interface StreamState {
  context: Float32Array;
  readonly state: Float32Array;
}

const port = parentPort!;
const { modelPath } = workerData as InferenceWorkerData;
const streams = new Map<number, StreamState>();
let queue: { stream: number; window: Float32Array }[] = [];
let session: InferenceSession | undefined;
let isRunning = false;
let isShuttingDown = false;
const sampleRate = new Tensor('int64', BigInt64Array.from([16000n]));
const reply = (message: InferenceReply) => port.postMessage(message);

port.on('message', (request: InferenceRequest) => {
  switch (request.type) {
    case 'open':
      streams.set(request.stream, {
        context: new Float32Array(CONTEXT_SAMPLES),
        state: new Float32Array(2 * STATE_HALF),
      });
      return;
    case 'close':
      streams.delete(request.stream);
      return;
    case 'score':
      queue.push({ stream: request.stream, window: request.window });
      // Later: the other messages already queued join this batch.
      setImmediate(drain);
      return;
    case 'shutdown':
      isShuttingDown = true;
      void stopWhenIdle();
      return;
  }
});

/**
 * Ends the thread once no run is under way: the model is released and the port closed, so the
 * thread has nothing left to do. (Terminating the thread instead could stop it inside
 * onnxruntime's native `run`, which takes the whole process down.)
 */
async function stopWhenIdle(): Promise<void> {
  if (!isShuttingDown || isRunning) return;
  queue = [];
  const model = session;
  session = undefined;
  await model?.release().catch(() => undefined);
  port.close();
}

async function drain(): Promise<void> {
  if (isRunning || !session) return;
  isRunning = true;
  try {
    while (queue.length > 0) {
      const batch: { stream: number; window: Float32Array; state: StreamState }[] = [];
      const later: typeof queue = [];
      for (const item of queue) {
        const state = streams.get(item.stream);
        if (!state) continue; // closed meanwhile
        if (batch.some((b) => b.stream === item.stream)) later.push(item);
        else batch.push({ ...item, state });
      }
      queue = later;
      if (batch.length > 0) await score(session, batch);
    }
  } catch (error) {
    reply({ type: 'failed', message: `Silero inference failed: ${String(error)}` });
  } finally {
    isRunning = false;
    void stopWhenIdle();
  }
}

async function score(
  model: InferenceSession,
  batch: readonly { stream: number; window: Float32Array; state: StreamState }[],
): Promise<void> {
  const n = batch.length;
  const input = new Float32Array(n * INPUT_SAMPLES);
  // State tensor [2, n, 128]: the first halves of every stream, then the second halves.
  const state = new Float32Array(2 * n * STATE_HALF);
  batch.forEach((item, i) => {
    input.set(item.state.context, i * INPUT_SAMPLES);
    input.set(item.window, i * INPUT_SAMPLES + CONTEXT_SAMPLES);
    state.set(item.state.state.subarray(0, STATE_HALF), i * STATE_HALF);
    state.set(item.state.state.subarray(STATE_HALF), (n + i) * STATE_HALF);
    item.state.context = item.window.slice(WINDOW_SAMPLES - CONTEXT_SAMPLES);
  });
  const outputs = await model.run({
    input: new Tensor('float32', input, [n, INPUT_SAMPLES]),
    state: new Tensor('float32', state, [2, n, STATE_HALF]),
    sr: sampleRate,
  });
  const [probabilityName, stateName] = model.outputNames;
  const probabilities = outputs[probabilityName!]!.data as Float32Array;
  const nextState = outputs[stateName!]!.data as Float32Array;
  batch.forEach((item, i) => {
    item.state.state.set(nextState.subarray(i * STATE_HALF, (i + 1) * STATE_HALF), 0);
    item.state.state.set(nextState.subarray((n + i) * STATE_HALF, (n + i + 1) * STATE_HALF), STATE_HALF);
    reply({ type: 'scored', stream: item.stream, probability: probabilities[i]! });
  });
}

InferenceSession.create(modelPath, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
}).then(
  (created) => {
    session = created;
    if (isShuttingDown) return void stopWhenIdle();
    reply({ type: 'ready' });
    void drain();
  },
  (error: unknown) => reply({ type: 'failed', message: String(error) }),
);
