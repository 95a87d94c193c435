import { durationFromMs, type ProtoDuration } from './duration';
import { tokenWord } from './token-audio';

/** How the emulated recognizer behaves, per call. */
export interface RecognizerBehaviour {
  /** Emit an interim result every this many bytes of speech audio. Default 3200 (100 ms at 16 kHz). */
  readonly interimEveryBytes?: number;
  /** Silence after speech that closes an utterance with a final result, ms. Default 300. */
  readonly endSilenceMs?: number;
  /** `stability` of interim results. Default 0.8. */
  readonly stability?: number;
}

/** What the recognizer was asked for in the stream's config. */
export interface RecognizerConfig {
  readonly sampleRate: number;
  readonly interimResults: boolean;
  readonly voiceActivityEvents: boolean;
  readonly wordTimeOffsets: boolean;
  readonly languageCode: string;
}

interface Word {
  token: number;
  startMs: number;
  endMs: number;
}

/** A `StreamingRecognizeResponse` as the emulator writes it (camelCase, proto-loader shape). */
export interface RecognizeResponse {
  readonly results: readonly {
    readonly alternatives: readonly {
      readonly transcript: string;
      readonly confidence: number;
      readonly words?: readonly {
        readonly word: string;
        readonly startTime: ProtoDuration;
        readonly endTime: ProtoDuration;
      }[];
    }[];
    readonly isFinal: boolean;
    readonly stability: number;
    readonly resultEndTime: ProtoDuration;
    readonly languageCode: string;
  }[];
  readonly speechEventType?: 'SPEECH_ACTIVITY_BEGIN' | 'SPEECH_ACTIVITY_END';
  readonly speechEventTime?: ProtoDuration;
}

const BLOCK_MS = 10;

/**
 * Turns token audio (see {@link tokenAudio}) into Speech-to-Text v1 responses, 10 ms at a time.
 * Times are relative to the start of the stream, as the real service reports them.
 */
export class TokenRecognizer {
  readonly #config: RecognizerConfig;
  readonly #interimEveryBytes: number;
  readonly #endSilenceMs: number;
  readonly #stability: number;
  readonly #blockBytes: number;
  #pending = Buffer.alloc(0);
  #positionMs = 0;
  #words: Word[] = [];
  #silenceMs = 0;
  #bytesSinceInterim = 0;

  constructor(config: RecognizerConfig, behaviour: RecognizerBehaviour = {}) {
    this.#config = config;
    this.#interimEveryBytes = behaviour.interimEveryBytes ?? 3200;
    this.#endSilenceMs = behaviour.endSilenceMs ?? 300;
    this.#stability = behaviour.stability ?? 0.8;
    this.#blockBytes = Math.round((config.sampleRate * BLOCK_MS) / 1000) * 2;
  }

  /** Audio received so far, ms. */
  get positionMs(): number {
    return this.#positionMs;
  }

  /** Feeds audio bytes; returns the responses they cause. */
  push(audio: Buffer): RecognizeResponse[] {
    const out: RecognizeResponse[] = [];
    const bytes = this.#pending.length > 0 ? Buffer.concat([this.#pending, audio]) : audio;
    let at = 0;
    for (; at + this.#blockBytes <= bytes.length; at += this.#blockBytes) {
      this.#block(bytes.readInt16LE(at), out);
    }
    this.#pending = Buffer.from(bytes.subarray(at));
    return out;
  }

  /** The client half-closed: finish the utterance in progress. */
  flush(): RecognizeResponse[] {
    const out: RecognizeResponse[] = [];
    if (this.#words.length > 0) this.#endUtterance(out);
    return out;
  }

  #block(sample: number, out: RecognizeResponse[]): void {
    const startMs = this.#positionMs;
    this.#positionMs += BLOCK_MS;
    if (sample === 0) {
      if (this.#words.length === 0) return;
      this.#silenceMs += BLOCK_MS;
      if (this.#silenceMs >= this.#endSilenceMs) this.#endUtterance(out);
      return;
    }
    this.#silenceMs = 0;
    const last = this.#words.at(-1);
    if (last === undefined && this.#config.voiceActivityEvents) {
      out.push({
        results: [],
        speechEventType: 'SPEECH_ACTIVITY_BEGIN',
        speechEventTime: durationFromMs(startMs),
      });
    }
    if (last !== undefined && last.token === sample && last.endMs === startMs) last.endMs = this.#positionMs;
    else this.#words.push({ token: sample, startMs, endMs: this.#positionMs });
    this.#bytesSinceInterim += this.#blockBytes;
    if (this.#config.interimResults && this.#bytesSinceInterim >= this.#interimEveryBytes) {
      this.#bytesSinceInterim = 0;
      out.push(this.#result(false, this.#positionMs));
    }
  }

  #endUtterance(out: RecognizeResponse[]): void {
    const endMs = this.#words.at(-1)!.endMs;
    if (this.#config.voiceActivityEvents) {
      out.push({
        results: [],
        speechEventType: 'SPEECH_ACTIVITY_END',
        speechEventTime: durationFromMs(endMs),
      });
    }
    out.push(this.#result(true, endMs));
    this.#words = [];
    this.#silenceMs = 0;
    this.#bytesSinceInterim = 0;
  }

  #result(isFinal: boolean, endMs: number): RecognizeResponse {
    const transcript = this.#words.map((w) => tokenWord(w.token)).join(' ');
    const words =
      isFinal && this.#config.wordTimeOffsets
        ? this.#words.map((w) => ({
            word: tokenWord(w.token),
            startTime: durationFromMs(w.startMs),
            endTime: durationFromMs(w.endMs),
          }))
        : undefined;
    return {
      results: [
        {
          alternatives: [{ transcript, confidence: isFinal ? 0.92 : 0, ...(words ? { words } : {}) }],
          isFinal,
          stability: isFinal ? 0 : this.#stability,
          resultEndTime: durationFromMs(endMs),
          languageCode: this.#config.languageCode.toLowerCase(),
        },
      ],
    };
  }
}
