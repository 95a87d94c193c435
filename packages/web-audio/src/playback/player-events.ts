/**
 * What the player reports. `playedMs` is milliseconds of that speech's audio actually rendered
 * (fades included), in the speech's own time: what the server needs for heard-text bookkeeping.
 */
export type PlayerEvent =
  /** The first sample of a speech was rendered (`frame`: AudioContext frame of that sample). */
  | { readonly type: 'started'; readonly speechId: string; readonly frame: number }
  /** Periodic position of the playing speech (every `progressIntervalMs` of audio). */
  | { readonly type: 'progress'; readonly speechId: string; readonly playedMs: number }
  /** The speech played out to its last sample. */
  | { readonly type: 'finished'; readonly speechId: string; readonly playedMs: number }
  /**
   * The speech was interrupted. `silentFrame` is the AudioContext frame from which output is
   * silent (after the fade); `undefined` when it had not started playing.
   */
  | {
      readonly type: 'interrupted';
      readonly speechId: string;
      readonly playedMs: number;
      readonly silentFrame: number | undefined;
    }
  /** Playback of the speech is held (fade done) after `pause`. */
  | { readonly type: 'paused'; readonly speechId: string; readonly playedMs: number }
  | { readonly type: 'resumed'; readonly speechId: string; readonly playedMs: number }
  /**
   * The speech ran dry mid-way and more of it arrived later: an audible gap. `underruns` is the
   * player's running total.
   */
  | { readonly type: 'underrun'; readonly speechId: string; readonly underruns: number }
  /**
   * The adaptive jitter buffer's target changed: grown after an underrun, or shrunk a step after
   * a stable stretch. It applies to the next start or re-buffer.
   */
  | { readonly type: 'jitter-buffer'; readonly targetMs: number; readonly reason: 'underrun' | 'stable' }
  /** A chunk was refused; see {@link DropReason}. */
  | {
      readonly type: 'dropped';
      readonly speechId: string;
      readonly seq: number;
      readonly reason: DropReason;
    };

/**
 * Why a chunk was not played: `interrupted` (late chunk of a cut speech), `finished` (late chunk
 * of a speech already played out), `duplicate` (seq seen before), `overflow` (over `maxBufferedMs`),
 * `invalid` (bad speechId, seq, sample rate or sample type).
 */
export type DropReason = 'interrupted' | 'finished' | 'duplicate' | 'overflow' | 'invalid';

/** Running counters of a player. */
export interface PlayerStats {
  readonly underruns: number;
  readonly droppedChunks: number;
  /** Chunks skipped because an earlier seq never arrived. */
  readonly lostChunks: number;
  /** Frames rendered with speech audio in them. */
  readonly playedFrames: number;
  /** The adaptive jitter buffer's current target, ms. */
  readonly jitterBufferMs: number;
  /** How many times the target changed (grown after underruns, shrunk when stable). */
  readonly jitterBufferChanges: number;
}

/** One chunk of agent audio for the player: mono Int16 (or float) PCM at its own rate. */
export interface PlayerChunk {
  readonly speechId: string;
  readonly seq: number;
  readonly sampleRate: number;
  readonly samples: Int16Array | Float32Array;
}
