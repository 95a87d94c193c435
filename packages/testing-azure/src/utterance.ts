/**
 * How the emulator "recognizes" speech: a deterministic stand-in for a real model.
 *
 * Audio whose samples reach {@link VOICED_LEVEL} in magnitude counts as speech. The utterance's
 * identity is read from its first voiced sample: `|sample| - 1000`. {@link utteranceAudio} makes
 * such audio, so a test knows exactly which text each stretch of audio must produce.
 */

/** Magnitude from which a sample counts as speech. */
export const VOICED_LEVEL = 500;
const ID_BASE = 1000;
/** Highest utterance id {@link utteranceAudio} can encode in Int16 samples. */
export const MAX_UTTERANCE_ID = 32767 - ID_BASE;

/**
 * Speech-like Int16 PCM the emulator recognizes as utterance `id` (0..{@link MAX_UTTERANCE_ID}):
 * a square wave at ±(1000 + id).
 */
export function utteranceAudio(id: number, durationMs: number, sampleRate = 16000): Int16Array {
  if (!Number.isInteger(id) || id < 0 || id > MAX_UTTERANCE_ID) throw new RangeError(`utterance id ${id}`);
  const samples = new Int16Array(Math.round((durationMs / 1000) * sampleRate));
  const level = ID_BASE + id;
  for (let i = 0; i < samples.length; i++) samples[i] = i % 2 === 0 ? level : -level;
  return samples;
}

/** What the detector saw, in samples from the start of the audio it was given. */
export type UtteranceEvent =
  | { readonly type: 'start'; readonly startSample: number }
  | {
      readonly type: 'hypothesis';
      readonly id: number;
      readonly startSample: number;
      readonly endSample: number;
    }
  | {
      readonly type: 'phrase';
      readonly id: number;
      readonly startSample: number;
      readonly endSample: number;
    };

export interface UtteranceDetectorOptions {
  readonly sampleRate: number;
  /** Silence that ends an utterance (Azure's segmentation silence timeout). */
  readonly silenceMs: number;
  /** Speech between two hypotheses. */
  readonly hypothesisEveryMs: number;
}

/** Finds utterances in a stream of PCM pushed in pieces; one detector per recognition turn. */
export class UtteranceDetector {
  #position = 0;
  #current: { id: number; startSample: number; lastVoiced: number; lastHypothesis: number } | undefined;
  readonly #silenceSamples: number;
  readonly #hypothesisSamples: number;

  constructor(options: UtteranceDetectorOptions) {
    this.#silenceSamples = Math.max(1, Math.round((options.silenceMs / 1000) * options.sampleRate));
    this.#hypothesisSamples = Math.max(
      1,
      Math.round((options.hypothesisEveryMs / 1000) * options.sampleRate),
    );
  }

  /** Samples seen so far. */
  get position(): number {
    return this.#position;
  }

  /** True while an utterance has started and not yet been closed by silence. */
  get isInSpeech(): boolean {
    return this.#current !== undefined;
  }

  push(samples: Int16Array): UtteranceEvent[] {
    const events: UtteranceEvent[] = [];
    for (let i = 0; i < samples.length; i++) {
      const at = this.#position + i;
      const value = samples[i]!;
      const magnitude = value < 0 ? -value : value;
      const current = this.#current;
      if (magnitude >= VOICED_LEVEL) {
        if (!current) {
          this.#current = { id: magnitude - ID_BASE, startSample: at, lastVoiced: at, lastHypothesis: at };
          events.push({ type: 'start', startSample: at });
        } else {
          current.lastVoiced = at;
          if (at - current.lastHypothesis >= this.#hypothesisSamples) {
            current.lastHypothesis = at;
            events.push({
              type: 'hypothesis',
              id: current.id,
              startSample: current.startSample,
              endSample: at + 1,
            });
          }
        }
      } else if (current && at - current.lastVoiced >= this.#silenceSamples) {
        events.push(this.#close(current));
      }
    }
    this.#position += samples.length;
    return events;
  }

  /** Ends the audio: an utterance still open becomes a phrase. */
  flush(): UtteranceEvent[] {
    return this.#current ? [this.#close(this.#current)] : [];
  }

  #close(current: { id: number; startSample: number; lastVoiced: number }): UtteranceEvent {
    this.#current = undefined;
    return {
      type: 'phrase',
      id: current.id,
      startSample: current.startSample,
      endSample: current.lastVoiced + 1,
    };
  }
}
