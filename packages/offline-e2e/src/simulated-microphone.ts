import { SPEECH_SAMPLE_RATE } from './to-mono-16k';
import { voicedSpan } from './user-voice';

/** Bare 16 kHz mono samples, the shape `VoiceSession.pushAudio` accepts. */
export interface MicrophoneChunk {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly channels: number;
}

/** When an utterance was heard, on the `performance.now()` clock. */
export interface UtteranceTiming {
  /** The frame holding the first voiced sample was pushed. */
  readonly voiceStartedAt: number;
  /** The frame holding the last voiced sample was pushed: the user stopped talking. */
  readonly voiceEndedAt: number;
}

interface Queued {
  readonly samples: Int16Array;
  readonly span: { onsetMs: number; offsetMs: number } | undefined;
  readonly done: (timing: UtteranceTiming) => void;
  pushedSamples: number;
  voiceStartedAt?: number;
  voiceEndedAt?: number;
}

/**
 * A microphone without a sound card: from `start()` to `stop()` it pushes one `frameMs` frame of
 * 16 kHz mono audio per `frameMs` of wall-clock time — the utterances given to `say()` in order,
 * digital silence in between — as a real microphone would. Timers are corrected for drift: a
 * late tick pushes every frame that is due, so the audio never falls behind real time.
 */
export class SimulatedMicrophone {
  readonly #push: (chunk: MicrophoneChunk, capturedAt: number) => void;
  readonly #frameSamples: number;
  readonly #frameMs: number;
  readonly #queue: Queued[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #startedAt = 0;
  #framesPushed = 0;

  /**
   * @param push Gets each frame and when its first sample was captured (`performance.now()`
   *   clock): frames pushed late, in a burst, still know when they were "heard".
   */
  constructor(
    push: (chunk: MicrophoneChunk, capturedAt: number) => void,
    options: { frameMs?: number } = {},
  ) {
    this.#push = push;
    this.#frameMs = options.frameMs ?? 20;
    this.#frameSamples = (SPEECH_SAMPLE_RATE * this.#frameMs) / 1000;
  }

  /** Starts the stream of frames (silence until something is said). */
  start(): void {
    if (this.#timer) return;
    this.#startedAt = performance.now();
    this.#framesPushed = 0;
    this.#tick();
  }

  /** Queues an utterance; resolves once all of it has been pushed. */
  say(samples: Int16Array): Promise<UtteranceTiming> {
    return new Promise((done) =>
      this.#queue.push({ samples, span: voicedSpan(samples), done, pushedSamples: 0 }),
    );
  }

  /** Stops pushing. Utterances not yet pushed are dropped (their promises never settle). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
  }

  #tick(): void {
    const due = Math.floor((performance.now() - this.#startedAt) / this.#frameMs) + 1;
    while (this.#framesPushed < due) {
      this.#pushFrame();
      this.#framesPushed++;
    }
    const nextAt = this.#startedAt + this.#framesPushed * this.#frameMs;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, nextAt - performance.now()));
  }

  #pushFrame(): void {
    const frame = new Int16Array(this.#frameSamples);
    const utterance = this.#queue[0];
    if (utterance) {
      const from = utterance.pushedSamples;
      const to = Math.min(utterance.samples.length, from + frame.length);
      frame.set(utterance.samples.subarray(from, to));
      utterance.pushedSamples = to;
      const now = performance.now();
      const toMs = (sample: number) => (sample * 1000) / SPEECH_SAMPLE_RATE;
      if (utterance.span) {
        if (utterance.voiceStartedAt === undefined && toMs(to) >= utterance.span.onsetMs)
          utterance.voiceStartedAt = now;
        if (utterance.voiceEndedAt === undefined && toMs(to) >= utterance.span.offsetMs)
          utterance.voiceEndedAt = now;
      }
      if (to >= utterance.samples.length) {
        this.#queue.shift();
        utterance.done({
          voiceStartedAt: utterance.voiceStartedAt ?? now,
          voiceEndedAt: utterance.voiceEndedAt ?? now,
        });
      }
    }
    const capturedAt = this.#startedAt + this.#framesPushed * this.#frameMs;
    this.#push({ samples: frame, sampleRate: SPEECH_SAMPLE_RATE, channels: 1 }, capturedAt);
  }
}
