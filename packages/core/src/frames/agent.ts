import type { SpeechRef } from './identity';

/** One piece of streamed LLM text. */
export interface Token extends SpeechRef {
  readonly text: string;
  /** 0-based position of the token within its speech. */
  readonly index: number;
}

/**
 * A chunk of agent text ready for speech synthesis.
 * `text` is cleaned for TTS (markdown and emoji removed); `displayText` is what the model wrote.
 */
export interface Sentence extends SpeechRef {
  readonly text: string;
  readonly displayText: string;
  /** 0-based position of the sentence within its speech. */
  readonly index: number;
}

/** Start and length of one spoken word inside a synthesized chunk, when the TTS reports it. */
export interface WordTiming {
  readonly word: string;
  /** From the start of the sentence's audio, ms. */
  readonly startMs: number;
  readonly durationMs: number;
}

/** A chunk of synthesized agent audio (Int16 PCM) on its way to the listener. */
export interface SpeechAudio extends SpeechRef {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly channels: number;
  /** 0-based sequence number within the speech; gapless playback follows it. */
  readonly seq: number;
  /** Position of this chunk's first sample within the whole speech's audio, ms. */
  readonly offsetMs: number;
  readonly durationMs: number;
  /** Which {@link Sentence} this audio speaks. */
  readonly sentenceIndex: number;
  /** Word boundaries the TTS reported for this chunk, relative to the start of its sentence's audio. */
  readonly words?: readonly WordTiming[];
}
