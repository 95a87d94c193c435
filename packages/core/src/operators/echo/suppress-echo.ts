import type { OperatorFunction } from 'rxjs';
import { map } from 'rxjs';
import type { AudioFrame } from '../../frames/audio';
import { audioFrameDurationMs } from '../../frames/audio';
import { EchoGate, type EchoGateOptions } from './echo-gate';

/** The agent audio the listener has played, as the server knows it from what it sent and the acks. */
export interface PlayedAgentAudio {
  /**
   * Energy (mean square, samples scaled to ±1) of each `blockMs` block of agent audio played
   * during the last `durationMs`, oldest first; 0 where nothing played. Called once per mic
   * frame, in order: each call covers the playback since the previous one.
   */
  playedEnergies(durationMs: number, blockMs: number): Float64Array;
}

/** Settings of {@link suppressEcho}. */
export interface SuppressEchoOptions extends EchoGateOptions {
  /** Decision granularity. Default 10 ms. */
  readonly blockMs?: number;
}

/**
 * Silences the agent's own voice coming back through the microphone, so it can neither pause
 * nor interrupt the agent nor be transcribed as the user: each `blockMs` of mic audio is judged
 * against the agent audio the listener was playing (an {@link EchoGate}); blocks that hold only
 * echo become digital silence, everything else passes untouched, frame lengths and timeline
 * unchanged. The user talking over the agent passes (echo and all), so barge-in still works.
 *
 * A cheap first line, not an echo canceller: a user much quieter than the echo is not heard
 * until the agent stops; a browser's own echo cancellation, where on, only helps.
 *
 * ```
 * mic:     -e-e-u-e-|    e = block of echo only, u = user over the echo
 * agent:   -a-a-a-a-|    (played at the same time)
 * output:  -0-0-u-u-|    0 = silence; the user's hangover keeps the next block
 * ```
 *
 * @example
 * ```ts
 * pipeline: { audioIn: (frames$, context) => frames$.pipe(suppressEcho(context.playedAgentAudio)) }
 * ```
 */
export function suppressEcho(
  played: PlayedAgentAudio,
  options: SuppressEchoOptions = {},
): OperatorFunction<AudioFrame, AudioFrame> {
  return (frames$) => frames$.pipe(map(echoSuppressor(played, options)));
}

/**
 * The function inside {@link suppressEcho}: one mic frame in, the same frame or its gated copy
 * out. Stateful (it learns the echo level): one per microphone.
 */
export function echoSuppressor(
  played: PlayedAgentAudio,
  options: SuppressEchoOptions = {},
): (frame: AudioFrame) => AudioFrame {
  const blockMs = options.blockMs ?? 10;
  const gate = new EchoGate(blockMs, options);
  return (frame) => gateFrame(frame, gate, played, blockMs);
}

function gateFrame(frame: AudioFrame, gate: EchoGate, played: PlayedAgentAudio, blockMs: number): AudioFrame {
  const { samples } = frame;
  const blockSamples = Math.max(1, Math.round((frame.sampleRate * frame.channels * blockMs) / 1000));
  const blocks = Math.ceil(samples.length / blockSamples);
  const agent = played.playedEnergies(audioFrameDurationMs(frame), blockMs);
  let gated: Int16Array | undefined;
  for (let block = 0; block < blocks; block++) {
    const from = block * blockSamples;
    const to = Math.min(samples.length, from + blockSamples);
    if (gate.judge(energyOf(samples, from, to), agent[block] ?? 0) !== 'echo') continue;
    gated ??= samples.slice();
    gated.fill(0, from, to);
  }
  return gated ? { ...frame, samples: gated } : frame;
}

/** Mean square of `samples[from, to)` scaled to ±1. */
export function energyOf(samples: Int16Array, from = 0, to = samples.length): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const sample = samples[i]! / 32768;
    sum += sample * sample;
  }
  return sum / (to - from);
}
