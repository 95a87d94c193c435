import { fadeInGain, fadeLength, fadeOutGain } from '../dsp/fade';
import { chunkProblem } from './chunk-check';
import { JitterTarget } from './jitter-target';
import type { DropReason, PlayerChunk, PlayerEvent, PlayerStats } from './player-events';
import { SpeechBuffer } from './speech-buffer';

/** Tuning of the streaming player. Times in ms. */
export interface PlayerCoreOptions {
  /** Output rate: the AudioContext's `sampleRate`. */
  readonly sampleRate: number;
  /**
   * Audio buffered before a speech starts (and after an underrun, before it continues): the
   * starting and smallest target of the adaptive jitter buffer. Default 60.
   */
  readonly jitterBufferMs?: number;
  /**
   * The adaptive jitter buffer grows after each underrun (to 1.5 × the delivery stall it failed
   * to cover), up to this; it shrinks by 20 ms after every 10 s played without one. Equal to
   * `jitterBufferMs`: a fixed buffer. Default 200 (or `jitterBufferMs` when larger).
   */
  readonly maxJitterBufferMs?: number;
  /** Fade on interrupt and pause, and in on resume. At most 5. Default 4. */
  readonly fadeMs?: number;
  /** A `progress` event every this much played audio. Default 100. */
  readonly progressIntervalMs?: number;
  /** Audio one speech may hold unplayed; chunks beyond are dropped (`overflow`). Default 180 000. */
  readonly maxBufferedMs?: number;
  /** How many interrupted (and finished) speechIds are remembered to drop their late chunks. Default 256. */
  readonly rememberInterrupted?: number;
}

/** Growth beyond the late audio's delay after an underrun, and each shrink when stable. */
const JITTER_STEP_MS = 20;
/** Played audio without an underrun before the jitter buffer shrinks a step. */
const JITTER_STABLE_MS = 10_000;

type Fade =
  | { readonly kind: 'out'; index: number; readonly length: number; andThen: 'pause' | 'interrupt' }
  | { readonly kind: 'in'; index: number; readonly length: number };

/**
 * The player's logic, free of Web Audio: it runs inside the playback AudioWorklet (one `render`
 * per 128-frame quantum) and, unchanged, in unit tests.
 *
 * Speeches play one after another in arrival order. Within a speech, chunks play gaplessly in
 * `seq` order after `jitterBufferMs` of audio is buffered. `interrupt` fades the playing speech
 * out over `fadeMs` and renders silence from the next sample on; later chunks of that speechId
 * are dropped. `pause`/`resume` hold and continue in place (the two-phase interrupt).
 */
export class PlayerCore {
  readonly sampleRate: number;
  private readonly jitter: JitterTarget;
  private readonly fadeFrames: number;
  private readonly progressFrames: number;
  private readonly maxBufferedFrames: number;
  private readonly rememberInterrupted: number;
  private readonly queue: SpeechBuffer[] = [];
  private readonly speeches = new Map<string, SpeechBuffer>();
  private readonly interruptedIds = new Set<string>();
  private readonly finishedIds = new Set<string>();
  private readonly pausedBeforeArrival = new Set<string>();
  private fade: Fade | undefined;
  /** Frame right after the last rendered quantum. */
  private frame = 0;
  private counters = {
    underruns: 0,
    droppedChunks: 0,
    lostChunks: 0,
    playedFrames: 0,
    jitterBufferChanges: 0,
  };

  constructor(
    options: PlayerCoreOptions,
    private readonly emit: (event: PlayerEvent) => void,
  ) {
    const { sampleRate, jitterBufferMs = 60, fadeMs = 4, progressIntervalMs = 100 } = options;
    if (fadeMs > 5 || fadeMs < 0) throw new RangeError(`fadeMs must be within 0..5, got ${fadeMs}`);
    this.sampleRate = sampleRate;
    const frames = (ms: number) => Math.round((ms / 1000) * sampleRate);
    this.jitter = new JitterTarget({
      baseFrames: frames(jitterBufferMs),
      maxFrames: frames(Math.max(jitterBufferMs, options.maxJitterBufferMs ?? 200)),
      stepFrames: frames(JITTER_STEP_MS),
      stableFrames: frames(JITTER_STABLE_MS),
    });
    this.fadeFrames = fadeLength(fadeMs, sampleRate);
    this.progressFrames = Math.max(1, Math.round((progressIntervalMs / 1000) * sampleRate));
    this.maxBufferedFrames = Math.round(((options.maxBufferedMs ?? 180_000) / 1000) * sampleRate);
    this.rememberInterrupted = options.rememberInterrupted ?? 256;
  }

  get stats(): PlayerStats {
    return { ...this.counters, jitterBufferMs: this.framesToMs(this.jitter.frames) };
  }

  /** The speech being played or about to be, if any. */
  get currentSpeechId(): string | undefined {
    return this.queue[0]?.speechId;
  }

  enqueue(chunk: PlayerChunk): void {
    const { speechId, seq } = chunk;
    const refusal = this.refusal(chunk);
    if (refusal) {
      this.counters.droppedChunks++;
      this.emit({ type: 'dropped', speechId, seq, reason: refusal });
      return;
    }
    const speech = this.speech(speechId);
    if (speech.isStarving && !speech.isUnderrunCounted && speech.ring.size > 0) {
      speech.isUnderrunCounted = true;
      this.underrun(speech, this.frame);
    }
  }

  /** No more chunks of `speechId` will come: play out what is buffered, then report `finished`. */
  end(speechId: string): void {
    if (this.interruptedIds.has(speechId) || this.finishedIds.has(speechId)) return;
    this.counters.lostChunks += this.speech(speechId).end();
  }

  /** Holds `speechId` (default: the current speech) after a short fade. */
  pause(speechId = this.currentSpeechId): void {
    if (speechId === undefined) return;
    const speech = this.speeches.get(speechId);
    if (!speech) {
      this.pausedBeforeArrival.add(speechId);
      return;
    }
    if (speech.isPaused || (this.fade?.kind === 'out' && speech === this.queue[0])) return;
    if (speech === this.queue[0] && speech.hasStarted && !speech.isStarving) {
      this.fade = { kind: 'out', index: 0, length: this.fadeFrames, andThen: 'pause' };
      return;
    }
    speech.isPaused = true;
    this.emit({ type: 'paused', speechId, playedMs: speech.playedMs() });
  }

  /** Continues a paused speech where it stopped (short fade in). */
  resume(speechId = this.currentSpeechId): void {
    if (speechId === undefined) return;
    this.pausedBeforeArrival.delete(speechId);
    const speech = this.speeches.get(speechId);
    if (!speech) return;
    const isHead = speech === this.queue[0];
    if (isHead && this.fade?.kind === 'out' && this.fade.andThen === 'pause') {
      // Not yet silent: fade back in from the current gain.
      const gain = fadeOutGain(this.fade.index, this.fade.length);
      this.fade = { kind: 'in', index: Math.round(gain * this.fadeFrames), length: this.fadeFrames };
    } else if (speech.isPaused) {
      speech.isPaused = false;
      if (isHead && speech.hasStarted) this.fade = { kind: 'in', index: 0, length: this.fadeFrames };
    } else {
      return;
    }
    this.emit({ type: 'resumed', speechId, playedMs: speech.playedMs() });
  }

  /**
   * Ends `speechId` (default: every queued speech) now: fade-out if audible, then silence; drops
   * its buffered and late chunks.
   */
  interrupt(speechId?: string): void {
    const ids = speechId === undefined ? this.queue.map((s) => s.speechId) : [speechId];
    for (const id of ids) {
      this.remember(this.interruptedIds, id);
      this.pausedBeforeArrival.delete(id);
      const speech = this.speeches.get(id);
      if (!speech) continue;
      const isAudible =
        speech === this.queue[0] && speech.hasStarted && !speech.isPaused && !speech.isStarving;
      if (isAudible) {
        if (this.fade?.kind === 'out') this.fade.andThen = 'interrupt';
        else this.fade = { kind: 'out', index: 0, length: this.fadeFrames, andThen: 'interrupt' };
        continue;
      }
      if (speech === this.queue[0]) this.fade = undefined;
      this.remove(speech);
      this.emit({
        type: 'interrupted',
        speechId: id,
        playedMs: speech.playedMs(),
        silentFrame: speech.hasStarted ? this.frame : undefined,
      });
    }
  }

  /**
   * Fills `out` (one render quantum, mono) with the next samples; `startFrame` is the
   * AudioContext frame of `out[0]`, used in `started` and `interrupted` events.
   */
  render(out: Float32Array, startFrame = this.frame): void {
    let i = 0;
    while (i < out.length) {
      const speech = this.queue[0];
      if (!speech) break;
      if (speech.isPaused) break;
      const ring = speech.ring;
      const hasLater = this.queue.length > 1 && this.queue.slice(1).some((s) => s.bufferedFrames > 0);
      const isWaiting = !speech.hasStarted || speech.isStarving;
      const target = this.jitter.frames;
      if (ring.size === 0 || (isWaiting && ring.size < target && !speech.isEnded && !hasLater)) {
        // Out of audio in the middle of a fade-out: the interrupt (or pause) is done, whatever
        // else holds — an interrupted speech never reports `finished`.
        if (ring.size === 0 && this.fade?.kind === 'out') {
          this.completeFadeOut(speech, startFrame + i);
          continue;
        }
        // A seq that never came: give up on it once the speech is over, another one waits, or
        // a jitter buffer's worth of later audio is held back by it.
        const isHeldBack = speech.bufferedFrames - ring.size >= target;
        if (ring.size === 0 && speech.bufferedFrames > 0 && (speech.isEnded || hasLater || isHeldBack)) {
          this.counters.lostChunks += speech.skipMissing();
          continue;
        }
        if (ring.size === 0 && (speech.isEnded || hasLater)) {
          this.finish(speech);
          continue;
        }
        if (ring.size === 0 && speech.hasStarted && !speech.isStarving) {
          speech.isStarving = true;
          speech.starvedAtFrame = startFrame + i;
        }
        break;
      }
      if (speech.isStarving) {
        // Back from an underrun (counted here if the audio came from behind a missing seq).
        if (!speech.isUnderrunCounted) this.underrun(speech, startFrame + i);
        // Fade in rather than click.
        speech.isStarving = false;
        speech.isUnderrunCounted = false;
        speech.starvedAtFrame = undefined;
        this.fade ??= { kind: 'in', index: 0, length: this.fadeFrames };
      }
      const fade = this.fade;
      const n = Math.min(
        out.length - i,
        ring.size,
        fade ? fade.length - fade.index : Number.POSITIVE_INFINITY,
      );
      ring.read(out, i, n);
      if (!speech.hasStarted) {
        speech.hasStarted = true;
        this.emit({ type: 'started', speechId: speech.speechId, frame: startFrame + i });
      }
      if (fade) {
        for (let k = 0; k < n; k++) {
          const at = fade.index + k;
          out[i + k]! *= fade.kind === 'out' ? fadeOutGain(at, fade.length) : fadeInGain(at, fade.length);
        }
        fade.index += n;
      }
      const before = Math.floor(speech.playedFrames / this.progressFrames);
      speech.playedFrames += n;
      this.counters.playedFrames += n;
      if (this.jitter.played(n)) this.jitterBufferChanged('stable');
      i += n;
      if (Math.floor(speech.playedFrames / this.progressFrames) > before) {
        this.emit({ type: 'progress', speechId: speech.speechId, playedMs: speech.playedMs() });
      }
      if (fade && fade.index >= fade.length) {
        if (fade.kind === 'out') this.completeFadeOut(speech, startFrame + i);
        else this.fade = undefined;
      }
    }
    // The last sample played at the very end of this quantum: report it now, not a quantum late.
    const head = this.queue[0];
    if (i === out.length && head?.hasStarted && head.isEnded && head.bufferedFrames === 0 && !this.fade) {
      if (!head.isPaused) this.finish(head);
    }
    out.fill(0, i);
    this.frame = startFrame + out.length;
  }

  /** Counts an underrun of `speech` (audio is back at `frame`) and grows the jitter buffer. */
  private underrun(speech: SpeechBuffer, frame: number): void {
    this.counters.underruns++;
    this.emit({ type: 'underrun', speechId: speech.speechId, underruns: this.counters.underruns });
    const starved = speech.starvedAtFrame === undefined ? 0 : frame - speech.starvedAtFrame;
    if (this.jitter.grow(starved)) this.jitterBufferChanged('underrun');
  }

  private jitterBufferChanged(reason: 'underrun' | 'stable'): void {
    this.counters.jitterBufferChanges++;
    this.emit({ type: 'jitter-buffer', targetMs: this.framesToMs(this.jitter.frames), reason });
  }

  private framesToMs(frames: number): number {
    return (frames / this.sampleRate) * 1000;
  }

  private completeFadeOut(speech: SpeechBuffer, silentFrame: number): void {
    const fade = this.fade;
    this.fade = undefined;
    if (fade?.kind === 'out' && fade.andThen === 'pause') {
      speech.isPaused = true;
      this.emit({ type: 'paused', speechId: speech.speechId, playedMs: speech.playedMs() });
      return;
    }
    this.remove(speech);
    this.emit({ type: 'interrupted', speechId: speech.speechId, playedMs: speech.playedMs(), silentFrame });
  }

  private finish(speech: SpeechBuffer): void {
    this.remember(this.finishedIds, speech.speechId);
    this.remove(speech);
    this.fade = undefined;
    this.emit({ type: 'finished', speechId: speech.speechId, playedMs: speech.playedMs() });
  }

  private speech(speechId: string): SpeechBuffer {
    let speech = this.speeches.get(speechId);
    if (!speech) {
      speech = new SpeechBuffer(speechId, this.sampleRate);
      speech.isPaused = this.pausedBeforeArrival.delete(speechId);
      this.speeches.set(speechId, speech);
      this.queue.push(speech);
    }
    return speech;
  }

  private remove(speech: SpeechBuffer): void {
    this.speeches.delete(speech.speechId);
    const index = this.queue.indexOf(speech);
    if (index >= 0) this.queue.splice(index, 1);
    speech.ring.clear();
  }

  private remember(ids: Set<string>, speechId: string): void {
    ids.add(speechId);
    if (ids.size > this.rememberInterrupted) {
      const oldest = ids.values().next().value;
      if (oldest !== undefined) ids.delete(oldest);
    }
  }

  /** Why `chunk` cannot be played, or undefined when it is queued (a side effect of asking). */
  private refusal(chunk: PlayerChunk): DropReason | undefined {
    if (chunkProblem(chunk) !== undefined) return 'invalid';
    if (this.interruptedIds.has(chunk.speechId)) return 'interrupted';
    if (this.finishedIds.has(chunk.speechId)) return 'finished';
    const speech = this.speech(chunk.speechId);
    if (speech.isEnded) return 'duplicate';
    const frames = Math.round((chunk.samples.length * this.sampleRate) / chunk.sampleRate);
    if (speech.bufferedFrames + frames > this.maxBufferedFrames) return 'overflow';
    return speech.push(chunk) ? undefined : 'duplicate';
  }
}
