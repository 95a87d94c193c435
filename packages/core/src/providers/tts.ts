import type { Observable } from 'rxjs';
import type { WordTiming } from '../frames/agent';
import type { RequestOrigin } from '../frames/identity';

/** A piece of synthesized audio. `samples` is Int16 PCM at `sampleRate`. */
export interface TtsChunk {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  /** Defaults to 1. */
  readonly channels?: number;
  /** Word boundaries inside this chunk, relative to the start of the synthesized text's audio. */
  readonly words?: readonly WordTiming[];
}

export interface TtsRequestOptions {
  /** Provider-specific voice name, overriding the provider's default. */
  readonly voice?: string;
  /** Speaking-rate multiplier, 1 = normal. */
  readonly speakingRate?: number;
  /** The session, turn and speech the text belongs to (set by the session; adapters ignore it). */
  readonly origin?: RequestOrigin;
}

/**
 * Text-to-speech contract, version 1.
 *
 * `synthesize` is cold: subscribing starts synthesis of one text; chunks stream out as they are
 * made (first chunk as early as the engine can); **unsubscribing cancels** the request or worker.
 * One request per sentence is what lets a session know which words each chunk speaks (heard
 * text after an interrupt); a provider that streams text in one request belongs in a custom
 * `speech` stage of the session's pipeline.
 */
export interface TtsProvider {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /**
   * Releases what the provider holds across requests (a gRPC channel, a worker pool, a model).
   * A provider may serve many sessions, so sessions never call this: whoever created the
   * provider does, at shutdown. Streams still open are cancelled.
   */
  close?(): void | Promise<void>;
  /** Sample rate of the chunks this provider emits. */
  readonly sampleRate: number;
  synthesize(text: string, options?: TtsRequestOptions): Observable<TtsChunk>;
}
