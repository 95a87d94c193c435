// Page side of the player tests: streams tone speeches into createAudioPlayer and records the output.
import { type AudioPlayer, createAudioPlayer, type PlayerEvent, unlockAudioContext } from '../../src/index';
import tapSource from './tap-processor?worklet-source';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A recording of the context's output, each quantum placed at the frame it was rendered at. */
class Tap {
  readonly node: AudioWorkletNode;
  private readonly blocks: { frames: number[]; samples: Float32Array }[] = [];

  /** Next frame the audio thread renders, when the page may share memory (else undefined). */
  readonly renderHead: Int32Array | undefined;

  private constructor(context: AudioContext) {
    const headBuffer = crossOriginIsolated ? new SharedArrayBuffer(4) : undefined;
    this.renderHead = headBuffer ? new Int32Array(headBuffer) : undefined;
    this.node = new AudioWorkletNode(context, 'vox-test-tap', {
      outputChannelCount: [1],
      processorOptions: { headBuffer },
    });
    this.node.port.onmessage = (e: MessageEvent<{ frames: number[]; samples: Float32Array }>) =>
      this.blocks.push(e.data);
    this.node.connect(context.destination);
  }

  static async create(context: AudioContext): Promise<Tap> {
    const url = URL.createObjectURL(new Blob([tapSource], { type: 'text/javascript' }));
    await context.audioWorklet.addModule(url);
    return new Tap(context);
  }

  /**
   * The rendered quanta, back to back, as base64 Float32, and the frame each quantum was
   * rendered at (a jump of more than 128 means the audio thread skipped quanta: a system glitch).
   */
  dump(): { quantumFrames: number[]; base64: string } {
    const quantumFrames = this.blocks.flatMap((b) => b.frames);
    const joined = new Float32Array(quantumFrames.length * 128);
    for (const [i, block] of this.blocks.entries()) joined.set(block.samples, i * block.samples.length);
    const bytes = new Uint8Array(joined.buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { quantumFrames, base64: btoa(binary) };
  }
}

/** One speech of a sine tone, streamed in chunks with jittered, in-order delivery. */
export interface PlaybackScenario {
  readonly speechMs: number;
  readonly chunkMs: number;
  readonly sourceRate: number;
  readonly frequencyHz: number;
  /** Each chunk arrives up to this much later than its real-time due date. */
  readonly jitterMs: number;
  readonly jitterBufferMs: number;
  /** Bound of the adaptive jitter buffer (equal to `jitterBufferMs`: fixed). Default: the player's. */
  readonly maxJitterBufferMs?: number;
  /** Delivery stops this long at `stallAtMs` of audio. */
  readonly stallAtMs?: number;
  readonly stallMs?: number;
  /** The player is told to interrupt the speech this long after its first chunk was sent. */
  readonly interruptAfterMs?: number;
  /** After the interrupt, a second speech at this frequency is streamed. */
  readonly nextFrequencyHz?: number;
  readonly seed?: number;
  /** The player's `fastControl` option (default true: the shared-memory lane when isolated). */
  readonly fastControl?: boolean;
}

async function streamSpeech(
  player: AudioPlayer,
  speechId: string,
  scenario: PlaybackScenario,
  frequencyHz: number,
  isCancelled: () => boolean,
  random: () => number,
): Promise<{ sent: number; lateChunks: number }> {
  const { speechMs, chunkMs, sourceRate, jitterMs } = scenario;
  const chunkSamples = Math.round((sourceRate * chunkMs) / 1000);
  const chunks = Math.ceil(speechMs / chunkMs);
  const start = performance.now();
  let due = 0;
  let sent = 0;
  // Chunks the page itself delivered later than the jitter buffer can hide (a busy machine's
  // timers), beyond the scenario's intended stall: each underrun needs at least one of these.
  let lateChunks = 0;
  for (let seq = 0; seq < chunks; seq++) {
    const stall =
      scenario.stallAtMs !== undefined && seq * chunkMs >= scenario.stallAtMs ? (scenario.stallMs ?? 0) : 0;
    due = Math.max(due, seq * chunkMs + random() * jitterMs + stall);
    const wait = start + due - performance.now();
    if (wait > 0) await sleep(wait);
    const samples = new Int16Array(chunkSamples);
    for (let i = 0; i < chunkSamples; i++) {
      const n = seq * chunkSamples + i;
      samples[i] = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * frequencyHz * n) / sourceRate));
    }
    player.enqueue({ speechId, seq, sampleRate: sourceRate, samples });
    const lateness = performance.now() - start - seq * chunkMs - stall;
    if (lateness > scenario.jitterBufferMs - chunkMs) lateChunks++;
    sent++;
    if (isCancelled() && sent > 5) break;
  }
  return { sent, lateChunks };
}

/** A repeatable pseudo-random sequence in [0, 1) (Park–Miller), so a scenario's jitter is the same each run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

export const playbackApi = {
  /**
   * Streams `replies` speeches of the scenario one after another, each once the previous one
   * finished and 300 ms passed (as turns follow each other), and reports the player's counters.
   */
  async playReplies(scenario: PlaybackScenario, replies: number) {
    const context = new AudioContext({ sampleRate: 48_000 });
    await unlockAudioContext(context);
    const player = await createAudioPlayer(context, {
      jitterBufferMs: scenario.jitterBufferMs,
      ...(scenario.maxJitterBufferMs === undefined ? {} : { maxJitterBufferMs: scenario.maxJitterBufferMs }),
    });
    const events: PlayerEvent[] = [];
    player.onEvent((event) => events.push(event));
    const random = seededRandom(scenario.seed ?? 1);
    let lateChunks = 0;
    for (let reply = 1; reply <= replies; reply++) {
      const speechId = `reply-${reply}`;
      const streamed = await streamSpeech(
        player,
        speechId,
        scenario,
        scenario.frequencyHz,
        () => false,
        random,
      );
      lateChunks += streamed.lateChunks;
      player.end(speechId);
      while (!events.some((e) => e.type === 'finished' && e.speechId === speechId)) await sleep(20);
      await sleep(300);
    }
    const stats = await player.stats();
    player.close();
    await context.close();
    return { stats, lateChunks, jitterBuffer: events.filter((e) => e.type === 'jitter-buffer') };
  },

  /** Streams a scenario into the player and records the output. */
  async playback(scenario: PlaybackScenario) {
    const context = new AudioContext({ sampleRate: 48_000 });
    await unlockAudioContext(context);
    const tap = await Tap.create(context);
    const player = await createAudioPlayer(context, {
      destination: tap.node,
      jitterBufferMs: scenario.jitterBufferMs,
      fastControl: scenario.fastControl ?? true,
      ...(scenario.maxJitterBufferMs === undefined ? {} : { maxJitterBufferMs: scenario.maxJitterBufferMs }),
    });
    const events: PlayerEvent[] = [];
    player.onEvent((event) => events.push(event));
    const random = seededRandom(scenario.seed ?? 1);

    let interruptFrame: number | undefined;
    let isInterrupted = false;
    const interrupting =
      scenario.interruptAfterMs === undefined
        ? Promise.resolve()
        : sleep(scenario.interruptAfterMs).then(() => {
            // Audio time when the interrupt is asked for: the audio thread's render head where
            // the page can read it (exact), else the main thread's currentTime, which moves by
            // whole render bursts and may be a burst behind.
            interruptFrame = tap.renderHead
              ? Atomics.load(tap.renderHead, 0)
              : Math.round(context.currentTime * context.sampleRate);
            player.interrupt('speech-1');
            isInterrupted = true;
          });
    const { sent, lateChunks } = await streamSpeech(
      player,
      'speech-1',
      scenario,
      scenario.frequencyHz,
      () => isInterrupted,
      random,
    );
    await interrupting;
    if (!isInterrupted) player.end('speech-1');
    if (scenario.nextFrequencyHz !== undefined) {
      await streamSpeech(
        player,
        'speech-2',
        { ...scenario, speechMs: 500, stallMs: 0 },
        scenario.nextFrequencyHz,
        () => false,
        random,
      );
      player.end('speech-2');
    }
    const done = scenario.nextFrequencyHz !== undefined ? 'speech-2' : 'speech-1';
    const deadline = performance.now() + 10_000;
    while (
      !events.some((e) => (e.type === 'finished' || e.type === 'interrupted') && e.speechId === done) &&
      performance.now() < deadline
    ) {
      await sleep(20);
    }
    await sleep(200);
    const stats = await player.stats();
    player.close();
    await sleep(150);
    const recording = tap.dump();
    await context.close();
    return {
      sampleRate: context.sampleRate,
      sent,
      lateChunks,
      events,
      stats,
      interruptFrame,
      interruptClock: tap.renderHead ? ('render head' as const) : ('currentTime' as const),
      hasFastControl: player.hasFastControl,
      isCrossOriginIsolated: crossOriginIsolated,
      ...recording,
    };
  },
};
