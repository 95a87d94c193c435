import { FloatRingBuffer, int16ToFloat, SincResampler } from '@voxduplex/core/dsp';
import type { PlayerChunk } from './player-events';

/**
 * One speech's audio waiting to be played: chunks put back in `seq` order, resampled to the
 * output rate, queued in a ring buffer. Knows how much was received and played.
 */
export class SpeechBuffer {
  readonly ring = new FloatRingBuffer(8192);
  /** Frames (at the output rate) rendered so far. */
  playedFrames = 0;
  hasStarted = false;
  /** No more chunks will come (end marker, or a later speech took over). */
  isEnded = false;
  /**
   * The ring ran dry before the end: silent until the jitter buffer is full again. An underrun
   * is counted (once per episode, `isUnderrunCounted`) when more audio of the speech arrives.
   */
  isStarving = false;
  /** Frame at which the current underrun's silence began. */
  starvedAtFrame: number | undefined;
  isUnderrunCounted = false;
  isPaused = false;
  private nextSeq = 0;
  /** Chunks that came before an earlier seq, kept at their own rate until their turn. */
  private readonly early = new Map<number, PlayerChunk>();
  private earlyFrames = 0;
  private resampler: SincResampler | undefined;
  private isFlushed = false;

  constructor(
    readonly speechId: string,
    private readonly outputRate: number,
  ) {}

  /** Frames ready to play plus frames held for a missing earlier seq. */
  get bufferedFrames(): number {
    return this.ring.size + this.earlyFrames;
  }

  /** Adds a chunk. Returns false for a duplicate (seq already played or held). */
  push(chunk: PlayerChunk): boolean {
    if (chunk.seq < this.nextSeq || this.early.has(chunk.seq)) return false;
    if (chunk.seq === this.nextSeq) {
      this.ring.write(this.toOutputRate(chunk));
      this.nextSeq++;
      this.releaseEarly();
    } else {
      this.early.set(chunk.seq, chunk);
      this.earlyFrames += outputFrames(chunk, this.outputRate);
    }
    return true;
  }

  /**
   * Marks the end: plays past any seq still missing and flushes the resampler's tail into the
   * ring. Returns how many seqs were given up on.
   */
  end(): number {
    if (this.isEnded) return 0;
    this.isEnded = true;
    const skipped = this.skipMissing();
    if (this.resampler && !this.isFlushed) {
      this.isFlushed = true;
      this.ring.write(this.resampler.flush());
    }
    return skipped;
  }

  /**
   * Gives up on the missing seq(s) and plays what came after. Returns how many seqs were skipped.
   */
  skipMissing(): number {
    let skipped = 0;
    while (this.early.size > 0 && !this.early.has(this.nextSeq)) {
      this.nextSeq++;
      skipped++;
    }
    this.releaseEarly();
    return skipped;
  }

  playedMs(): number {
    return (this.playedFrames / this.outputRate) * 1000;
  }

  private releaseEarly(): void {
    for (let chunk = this.early.get(this.nextSeq); chunk; chunk = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq);
      this.earlyFrames -= outputFrames(chunk, this.outputRate);
      this.ring.write(this.toOutputRate(chunk));
      this.nextSeq++;
    }
  }

  private toOutputRate(chunk: PlayerChunk): Float32Array {
    const floats = chunk.samples instanceof Int16Array ? int16ToFloat(chunk.samples) : chunk.samples;
    if (chunk.sampleRate === this.outputRate) return floats;
    if (this.resampler?.inputRate !== chunk.sampleRate) {
      // A speech keeps one rate; a change mid-speech restarts the filter (a click, but no drift).
      this.resampler = new SincResampler({ inputRate: chunk.sampleRate, outputRate: this.outputRate });
    }
    return this.resampler.process(floats);
  }
}

function outputFrames(chunk: PlayerChunk, outputRate: number): number {
  return Math.round((chunk.samples.length * outputRate) / chunk.sampleRate);
}
