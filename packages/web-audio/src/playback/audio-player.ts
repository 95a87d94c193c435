import { AudioFormatError } from '@voxduplex/core';
import { loadWorklet } from '../worklets/load-worklet';
import {
  PLAYER_PROCESSOR,
  type PlayerCommand,
  type PlayerMessage,
  type PlayerProcessorInit,
  type PlayerProcessorOptions,
} from '../worklets/messages';
import { chunkProblem } from './chunk-check';
import { ControlLane, type LaneCommand } from './control-lane';
import type { PlayerChunk, PlayerEvent, PlayerStats } from './player-events';

/** Options of {@link createAudioPlayer}. Times in ms. */
export interface AudioPlayerOptions extends PlayerProcessorOptions {
  /** Play into this node. Default `context.destination`. */
  readonly destination?: AudioNode;
  /** Load the player worklet from this URL instead of the bundled code (strict CSP). */
  readonly workletUrl?: string;
  /**
   * Send pause/resume/interrupt through shared memory read every render quantum, when the page
   * is cross-origin isolated (see {@link AudioPlayer.hasFastControl}). Default true.
   */
  readonly fastControl?: boolean;
}

/** A chunk as it comes off the wire: interleaved Int16 with a channel count (mixed down to mono). */
export interface IncomingAudioChunk extends Omit<PlayerChunk, 'samples'> {
  readonly samples: Int16Array;
  readonly channels?: number;
}

type Listener = (event: PlayerEvent) => void;

/** Speeches the main thread still tracks for `interrupt()` (bounded, oldest forgotten). */
const MAX_LIVE_SPEECHES = 256;

/**
 * The streaming agent-audio player: an AudioWorklet ring-buffer player (see {@link PlayerCore}
 * for its rules) plus the main-thread handle. Create it with {@link createAudioPlayer}.
 */
export class AudioPlayer {
  private readonly listeners = new Set<Listener>();
  private readonly statsRequests = new Map<number, (stats: PlayerStats & { frame: number }) => void>();
  private nextRequest = 0;
  private isClosed = false;
  /** Speeches enqueued and not yet reported finished or interrupted. */
  private readonly liveSpeechIds = new Set<string>();
  private readonly lane: ControlLane | undefined;

  /** @internal Use {@link createAudioPlayer}. */
  constructor(
    readonly context: AudioContext,
    readonly node: AudioWorkletNode,
    controlBuffer?: SharedArrayBuffer,
  ) {
    this.lane = controlBuffer ? new ControlLane(controlBuffer) : undefined;
    node.port.onmessage = (event: MessageEvent<PlayerMessage>) => {
      const message = event.data;
      if (message.type === 'event') {
        this.track(message.event);
        for (const listener of this.listeners) listener(message.event);
      } else {
        this.statsRequests.get(message.requestId)?.({ ...message.stats, frame: message.frame });
        this.statsRequests.delete(message.requestId);
      }
    };
  }

  /**
   * True when pause/resume/interrupt reach the worklet through shared memory, read every render
   * quantum: silence then starts within one quantum (2.7 ms at 48 kHz) after the fade. It needs a
   * cross-origin isolated page — served with `Cross-Origin-Opener-Policy: same-origin` and
   * `Cross-Origin-Embedder-Policy: require-corp` (or `credentialless`). Otherwise controls go by
   * `postMessage`, which the audio thread handles only between its render bursts (up to one
   * burst, ≈ 10.7 ms, later).
   */
  get hasFastControl(): boolean {
    return this.lane !== undefined;
  }

  /** Listens to every {@link PlayerEvent}; returns a function that stops listening. */
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queues a chunk (copied; multi-channel audio is mixed down to mono). Throws an
   * `AudioFormatError` for a malformed chunk (bad sample rate, seq, speechId or channel count).
   */
  enqueue(chunk: IncomingAudioChunk): void {
    const channels = chunk.channels ?? 1;
    const problem =
      chunkProblem(chunk) ??
      (Number.isInteger(channels) && channels >= 1 && chunk.samples.length % channels === 0
        ? undefined
        : `channels must divide the sample count, got ${channels} for ${chunk.samples.length}`);
    if (problem !== undefined)
      throw new AudioFormatError(`agent audio refused: ${problem}`, { source: 'web-audio' });
    const samples = mixDown(chunk.samples, channels);
    this.remember(chunk.speechId);
    this.send(
      { type: 'chunk', speechId: chunk.speechId, seq: chunk.seq, sampleRate: chunk.sampleRate, samples },
      [samples.buffer as ArrayBuffer],
    );
  }

  /** No more audio of `speechId` will come; it plays out and reports `finished`. */
  end(speechId: string): void {
    this.send({ type: 'end', speechId });
  }

  /** Holds `speechId` (default: the current speech) after a short fade. */
  pause(speechId?: string): void {
    this.sendControl(speechId === undefined ? { type: 'pause' } : { type: 'pause', speechId });
  }

  /** Continues a paused speech where it stopped. */
  resume(speechId?: string): void {
    this.sendControl(speechId === undefined ? { type: 'resume' } : { type: 'resume', speechId });
  }

  /** Silences `speechId` (default: everything) after a ≤ 5 ms fade and drops its late chunks. */
  interrupt(speechId?: string): void {
    if (speechId !== undefined) {
      this.sendControl({ type: 'interrupt', speechId });
      return;
    }
    // By name: on the fast lane an interrupt may overtake chunks still in the message queue,
    // and "everything" must include the speeches those chunks would start.
    for (const id of this.liveSpeechIds) this.sendControl({ type: 'interrupt', speechId: id });
    this.sendControl({ type: 'interrupt' });
  }

  /** Applies a server playback control (`pause`, `resume` or `interrupt` of a speechId). */
  control(control: { readonly type: 'pause' | 'resume' | 'interrupt'; readonly speechId: string }): void {
    this.sendControl({ type: control.type, speechId: control.speechId });
  }

  /** Counters from the worklet, with the AudioContext frame they were read at. */
  stats(): Promise<PlayerStats & { frame: number }> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.statsRequests.set(requestId, resolve);
      this.send({ type: 'stats', requestId });
    });
  }

  /** Disconnects the player. The AudioContext stays open (it may be shared). */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.node.disconnect();
    this.node.port.onmessage = null;
    this.listeners.clear();
  }

  private send(command: PlayerCommand, transfer: Transferable[] = []): void {
    if (!this.isClosed) this.node.port.postMessage(command, transfer);
  }

  private sendControl(command: LaneCommand): void {
    if (this.isClosed) return;
    if (!this.lane?.write(command)) this.send(command);
  }

  private remember(speechId: string): void {
    if (this.liveSpeechIds.has(speechId)) return;
    this.liveSpeechIds.add(speechId);
    if (this.liveSpeechIds.size > MAX_LIVE_SPEECHES)
      this.liveSpeechIds.delete(this.liveSpeechIds.values().next().value!);
  }

  private track(event: PlayerEvent): void {
    const isGone =
      event.type === 'finished' ||
      event.type === 'interrupted' ||
      (event.type === 'dropped' && (event.reason === 'interrupted' || event.reason === 'finished'));
    if (isGone) this.liveSpeechIds.delete(event.speechId);
  }
}

/**
 * Loads the player worklet into `context` and connects a player to its destination.
 *
 * @example
 * const player = await createAudioPlayer(context, { jitterBufferMs: 60 });
 * client.on('agent-audio', (chunk) => player.enqueue(chunk));
 * client.on('control', (control) => player.control(control));
 */
export async function createAudioPlayer(
  context: AudioContext,
  options: AudioPlayerOptions = {},
): Promise<AudioPlayer> {
  const { destination, workletUrl, fastControl = true, ...tuning } = options;
  await loadWorklet(context, 'player', workletUrl);
  const controlBuffer = fastControl && ControlLane.isAvailable() ? ControlLane.createBuffer() : undefined;
  const processorOptions: PlayerProcessorInit = controlBuffer ? { ...tuning, controlBuffer } : tuning;
  const node = new AudioWorkletNode(context, PLAYER_PROCESSOR, {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    processorOptions,
  });
  node.connect(destination ?? context.destination);
  return new AudioPlayer(context, node, controlBuffer);
}

function mixDown(samples: Int16Array, channels: number): Int16Array {
  if (channels <= 1) return samples.slice();
  const frames = Math.floor(samples.length / channels);
  const mono = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c]!;
    mono[f] = Math.round(sum / channels);
  }
  return mono;
}
