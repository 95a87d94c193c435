/** A recognizer's hypothesis for the user's speech. */
export interface Transcript {
  readonly text: string;
  /** True when the recognizer will not revise this text any more. */
  readonly isFinal: boolean;
  /** 0..1, how likely an interim is to stay as it is (Google's `stability`). */
  readonly stability?: number;
  /** 0..1, the recognizer's confidence in the words. */
  readonly confidence?: number;
  /** Start of the recognized speech in the session's audio stream, ms. */
  readonly startMs?: number;
  /** End of the recognized speech in the session's audio stream, ms. */
  readonly endMs?: number;
  /** BCP-47 language tag when the recognizer reports it. */
  readonly language?: string;
  /**
   * Other readings of the same speech, most likely first (an n-best list, or a reading
   * restricted to a few phrases). Barge-in takes a stop phrase among them for a stop when `text`
   * has no more words than it (see `StopRequest`).
   */
  readonly alternatives?: readonly string[];
}

/**
 * What a speech-to-text provider reports. Times (`atMs`) are positions in the session's audio
 * stream, so they are comparable with {@link AudioFrame.startMs}.
 *
 * `speech-pause` is optional: a recognizer that knows the voice has stopped for a short while
 * (less than its endpointing silence) may say so, after an `interim` holding the words so far.
 * The user may have finished: a `speech-end` follows if the silence lasts, new interims if the
 * user goes on. Sessions use it to start a reply early (preemptive generation); other consumers
 * may ignore it.
 */
export type SttEvent =
  | { readonly type: 'speech-start'; readonly atMs: number }
  | { readonly type: 'interim'; readonly transcript: Transcript }
  | { readonly type: 'final'; readonly transcript: Transcript }
  | { readonly type: 'speech-pause'; readonly atMs: number }
  | { readonly type: 'speech-end'; readonly atMs: number };

/**
 * What a voice activity detector reports. `probability` is the detector's speech probability.
 *
 * `speech-pause` is optional (detectors emit it only when asked, e.g. Silero's `pauseMs`): the
 * voice stopped at `atMs` and has been silent for a short while, not yet long enough for
 * `speech-end`. At most one per silence; if speech resumes, no event marks it.
 */
export type VadEvent =
  | { readonly type: 'speech-start'; readonly atMs: number; readonly probability: number }
  | { readonly type: 'speech-pause'; readonly atMs: number; readonly probability: number }
  | { readonly type: 'speech-end'; readonly atMs: number; readonly probability: number };
