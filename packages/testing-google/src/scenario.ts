import type { RecognizerBehaviour } from './token-recognizer';

/** A gRPC status the emulator answers with: numeric code and details text. */
export interface ScriptedStatus {
  readonly code: number;
  readonly details: string;
  /** Adds a `google.rpc.RetryInfo` with this delay to the status details (quota errors), ms. */
  readonly retryDelayMs?: number;
}

/** Status texts of the real service, as users report them. */
export const googleStatusText = {
  streamTooLong: 'Exceeded maximum allowed stream duration of 305 seconds.',
  audioTimeout:
    'Audio Timeout Error: Long duration elapsed without audio. Audio should be sent close to real time.',
  unauthenticated:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  unavailable: 'No connection established. Last error: connect ECONNREFUSED',
  quota: "Quota exceeded for quota metric 'Streaming recognize requests' of service 'speech.googleapis.com'.",
  chunkTooLarge: (bytes: number) =>
    `Audio chunk can be of a a maximum of 25600 bytes. Received audio of ${bytes} bytes instead.`,
} as const;

/** How one `StreamingRecognize` call behaves. Everything counts in audio time unless it says wall-clock. */
export interface RecognizeScenario extends RecognizerBehaviour {
  /** Stream length limit in audio ms; past it the call ends with OUT_OF_RANGE. Default 305 000. */
  readonly streamLimitMs?: number;
  /** Largest accepted `audioContent`; a bigger one ends the call with INVALID_ARGUMENT. Default 25 600. */
  readonly maxChunkBytes?: number;
  /** Wall-clock ms without audio before OUT_OF_RANGE "Audio Timeout". Default 10 000. */
  readonly audioTimeoutMs?: number;
  /** Answer the config with this status at once (e.g. UNAUTHENTICATED). */
  readonly rejectWith?: ScriptedStatus;
  /** End the call with this status once `atAudioMs` of audio arrived (e.g. UNAVAILABLE mid-stream). */
  readonly failAt?: ScriptedStatus & { readonly atAudioMs: number };
  /** Kill the whole server (every connection) once this much audio arrived. */
  readonly killServerAtAudioMs?: number;
  /**
   * End the call with this status right after the `afterInterims`-th interim result: with
   * `afterInterims: 1` as the default scenario, a server that drops every stream after its first interim.
   */
  readonly failAfterInterims?: ScriptedStatus & { readonly afterInterims: number };
  /**
   * Read audio no faster than this many times real time (wall clock), as the real service does:
   * a client sending faster is held back by gRPC flow control, and results lag what it sent.
   * Default: as fast as it comes.
   */
  readonly readSpeed?: number;
}

/** How one `StreamingSynthesize` or `SynthesizeSpeech` call behaves. */
export interface SynthesizeScenario {
  /** Audio made per character of input text, ms. Default 40. */
  readonly msPerChar?: number;
  /** Bytes per `audioContent` response. Default 9600. */
  readonly responseBytes?: number;
  /** Wall-clock pause between streamed responses, ms (lets a test cancel mid-stream). Default 0. */
  readonly responseIntervalMs?: number;
  /** Voice names that refuse `StreamingSynthesize` (INVALID_ARGUMENT). Default: names without `Chirp3-HD`, `Chirp-HD` or `Journey`. */
  readonly isStreamingVoice?: (voiceName: string) => boolean;
  /** Answer at once with this status. */
  readonly rejectWith?: ScriptedStatus;
}
