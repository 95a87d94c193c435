import { firstChannel, resampleLinear } from './resample';
import type { StereoTimeline } from './stereo-timeline';

/**
 * What the listener's player does with one agent speech, on the recording's clock, the way the
 * session itself counts it: playing in real time from the first chunk, holding while paused,
 * never past the audio sent. `advance(now)` writes what has played by `now` into the agent
 * side of the recording; `end(playedMs)` settles the speech at the session's heard position,
 * so an interrupted reply is cut exactly where the session says the listener stopped hearing it.
 */
export class SpeechPlayout {
  /** Recording clock (ms) of the speech's first sample. */
  readonly startMs: number;
  /** Speech audio (resampled, mono) not yet written, from speech position `#queuedFrom` on. */
  readonly #queue: Int16Array[] = [];
  #queuedFrom = 0;
  #queuedFrames = 0;
  /** Frames of the speech written so far. */
  #writtenFrames = 0;
  #pausedAt: number | undefined;
  #pausedMs = 0;
  /** Where each pause fell: speech position (ms) and how long it held, to place words after it. */
  readonly pauses: { atSpeechMs: number; durationMs: number }[] = [];
  readonly #sampleRate: number;
  readonly #timeline: StereoTimeline;

  constructor(startMs: number, sampleRate: number, timeline: StereoTimeline) {
    this.startMs = startMs;
    this.#sampleRate = sampleRate;
    this.#timeline = timeline;
  }

  /** Bytes of audio queued and not yet played. */
  get heldBytes(): number {
    return this.#queuedFrames * 2;
  }

  get playedMs(): number {
    return (this.#writtenFrames / this.#sampleRate) * 1000;
  }

  /** A chunk of the speech left the session. */
  queue(samples: Int16Array, sampleRate: number, channels: number): void {
    const mono = resampleLinear(firstChannel(samples, channels), sampleRate, this.#sampleRate);
    this.#queue.push(mono);
    this.#queuedFrames += mono.length;
  }

  /** Writes what the player has played by `nowMs`. */
  advance(nowMs: number): void {
    if (this.#pausedAt !== undefined) return;
    const elapsedMs = nowMs - this.startMs - this.#pausedMs;
    this.#writeUpTo(Math.floor((elapsedMs / 1000) * this.#sampleRate));
  }

  pause(nowMs: number): void {
    if (this.#pausedAt !== undefined) return;
    this.advance(nowMs);
    this.#pausedAt = nowMs;
  }

  resume(nowMs: number): void {
    if (this.#pausedAt === undefined) return;
    const durationMs = nowMs - this.#pausedAt;
    this.pauses.push({ atSpeechMs: this.playedMs, durationMs });
    this.#pausedMs += durationMs;
    this.#pausedAt = undefined;
  }

  /**
   * The speech ended with `playedMs` heard: the agent side holds exactly that much of it —
   * written up to there if the player model was behind, silenced after it if it was ahead.
   */
  end(nowMs: number, playedMs: number): void {
    this.advance(nowMs);
    const heardFrames = Math.round((playedMs / 1000) * this.#sampleRate);
    if (heardFrames > this.#writtenFrames) this.#writeUpTo(heardFrames);
    else if (heardFrames < this.#writtenFrames) {
      this.#timeline.clear(
        'agent',
        this.#recordingFrame(heardFrames),
        this.#recordingFrame(this.#writtenFrames),
      );
      this.#writtenFrames = heardFrames;
    }
    this.#queue.length = 0;
    this.#queuedFrames = 0;
  }

  /** Recording clock (ms) of speech position `speechMs`, the pauses before it included. */
  clockOf(speechMs: number): number {
    let pausedMs = 0;
    for (const pause of this.pauses) if (pause.atSpeechMs <= speechMs) pausedMs += pause.durationMs;
    return this.startMs + speechMs + pausedMs;
  }

  #recordingFrame(speechFrame: number): number {
    const speechMs = (speechFrame / this.#sampleRate) * 1000;
    return (this.clockOf(speechMs) / 1000) * this.#sampleRate;
  }

  #writeUpTo(speechFrame: number): void {
    while (this.#writtenFrames < speechFrame && this.#queue.length > 0) {
      const chunk = this.#queue[0]!;
      const from = this.#writtenFrames - this.#queuedFrom;
      const to = Math.min(chunk.length, from + (speechFrame - this.#writtenFrames));
      this.#timeline.write('agent', this.#recordingFrame(this.#writtenFrames), chunk, from, to);
      this.#writtenFrames += to - from;
      if (to === chunk.length) {
        this.#queue.shift();
        this.#queuedFrom += chunk.length;
        this.#queuedFrames -= chunk.length;
      }
    }
  }
}
