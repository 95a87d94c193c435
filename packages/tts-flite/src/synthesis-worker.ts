// Worker-thread entry: runs Flite off the event loop. One job at a time; cancelling a job is
// terminating this thread, so there is no cancel message.
// Imports name their `.ts` files so Node can run this file straight from sources (type stripping).
import { parentPort, workerData } from 'node:worker_threads';
import { FliteInstance } from './flite-program.ts';
import type { SynthesisJob, SynthesisWorkerData, SynthesisWorkerMessage } from './worker-protocol';

const { module, warmUpText, warmUpVoice } = workerData as SynthesisWorkerData;
const port = parentPort!;
const post = (message: SynthesisWorkerMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

// Instantiating copies ~20 MB of voice data into fresh memory (~50 ms): always keep the next
// instance ready so a request pays only for synthesis.
let nextInstance = FliteInstance.instantiate(module);
let queue: Promise<void> = (async () => {
  (await nextInstance).synthesize({ text: warmUpText, voice: warmUpVoice, speakingRate: 1 }, () => {});
  nextInstance = FliteInstance.instantiate(module);
  await nextInstance;
  post({ type: 'ready' });
})();

async function run(job: SynthesisJob): Promise<void> {
  try {
    const instance = await nextInstance;
    const result = instance.synthesize(job.request, ({ samples, sampleRate }) => {
      post({ type: 'audio', jobId: job.jobId, samples, sampleRate }, [samples.buffer as ArrayBuffer]);
    });
    post({ type: 'done', jobId: job.jobId, exitCode: result.exitCode, stderr: result.stderr });
  } catch (error) {
    post({
      type: 'failed',
      jobId: job.jobId,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  nextInstance = FliteInstance.instantiate(module);
  await nextInstance;
}

port.on('message', (job: SynthesisJob) => {
  queue = queue.then(() => run(job));
});
