import type { SpeechAudio } from '../../frames/agent';
import type { PlayedAgentAudio } from '../../operators/echo/suppress-echo';

/** Where the listener is in the agent's current speech. */
export interface PlayoutPosition {
  readonly speechId: string;
  /** Milliseconds of the speech played so far (from acks, else estimated). */
  readonly playedMs: number;
}

/** Energies are kept per block of this many ms of speech audio. */
const STORED_BLOCK_MS = 10;

/**
 * The agent's audio as the listener plays it, for echo handling: the energy of each 10 ms of
 * every chunk the session sent (kept for the current speech only), read out at the playout
 * position the acks give. Cheap: one number per 10 ms of speech.
 */
export class PlayedAudio implements PlayedAgentAudio {
  readonly #position: () => PlayoutPosition | undefined;
  /**
   * Mic audio may lag playback by at most this much before the oldest playback is skipped: a
   * stalled event loop or network delivers mic frames late, in a burst, and each must still be
   * matched with what played while it was captured. Only a longer gap in the mic re-aligns.
   */
  readonly #backlogMs: number;
  #speechId: string | undefined;
  #energies: number[] = [];
  /** The partial block at the end of the audio received so far. */
  #partial = { sum: 0, count: 0, samplesPerBlock: 0 };
  /** Playback up to here has been handed out to mic frames. */
  #consumedMs = 0;

  constructor(position: () => PlayoutPosition | undefined, backlogMs = 1000) {
    this.#position = position;
    this.#backlogMs = backlogMs;
  }

  /** A chunk of agent audio went out to the listener. */
  emitted(audio: Pick<SpeechAudio, 'speechId' | 'samples' | 'sampleRate' | 'channels'>): void {
    if (audio.speechId !== this.#speechId) this.#startSpeech(audio.speechId);
    const samplesPerBlock = Math.max(
      1,
      Math.round((audio.sampleRate * audio.channels * STORED_BLOCK_MS) / 1000),
    );
    const partial = this.#partial;
    partial.samplesPerBlock = samplesPerBlock;
    for (const sample of audio.samples) {
      const scaled = sample / 32768;
      partial.sum += scaled * scaled;
      if (++partial.count === samplesPerBlock) {
        this.#energies.push(partial.sum / partial.count);
        partial.sum = partial.count = 0;
      }
    }
  }

  playedEnergies(durationMs: number, blockMs: number): Float64Array {
    const blocks = Math.max(1, Math.ceil(durationMs / blockMs - 1e-9));
    const out = new Float64Array(blocks);
    const position = this.#position();
    if (!position || position.speechId !== this.#speechId) return out;
    const playedMs = position.playedMs;
    const from = Math.max(this.#consumedMs, playedMs - this.#backlogMs - durationMs);
    const to = Math.max(from, Math.min(playedMs, from + durationMs));
    this.#consumedMs = to;
    // What played is the most recent part of the frame; silence before it.
    const silentMs = durationMs - (to - from);
    for (let block = 0; block < blocks; block++) {
      const startMs = block * blockMs - silentMs;
      const endMs = Math.min(durationMs, (block + 1) * blockMs) - silentMs;
      if (endMs <= 0) continue;
      out[block] = this.#meanEnergy(from + Math.max(0, startMs), from + endMs);
    }
    return out;
  }

  #startSpeech(speechId: string): void {
    this.#speechId = speechId;
    this.#energies = [];
    this.#partial = { sum: 0, count: 0, samplesPerBlock: 0 };
    this.#consumedMs = 0;
  }

  /** Mean stored energy of the speech audio in `[fromMs, toMs)`. */
  #meanEnergy(fromMs: number, toMs: number): number {
    const first = Math.floor(fromMs / STORED_BLOCK_MS);
    const last = Math.max(first, Math.ceil(toMs / STORED_BLOCK_MS) - 1);
    let sum = 0;
    let count = 0;
    for (let index = first; index <= last; index++) {
      const energy = this.#energies[index] ?? this.#partialEnergy(index);
      if (energy === undefined) continue;
      sum += energy;
      count++;
    }
    return count === 0 ? 0 : sum / count;
  }

  #partialEnergy(index: number): number | undefined {
    const { sum, count } = this.#partial;
    return index === this.#energies.length && count > 0 ? sum / count : undefined;
  }
}
