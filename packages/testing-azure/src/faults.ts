/**
 * Failures the emulator can play, one connection at a time. Queue them with
 * {@link AzureSpeechEmulator.fail} (each new connection of that kind takes the next one: a
 * flapping endpoint is `fail(kind, fault, n)`), or make one play on every connection with
 * {@link AzureSpeechEmulator.failEvery}.
 */

/** Answer the WebSocket upgrade with this HTTP status instead of accepting it (401, 403, 429, 503…). */
export interface RejectUpgradeFault {
  readonly kind: 'reject-upgrade';
  readonly status: number;
  /** Sent as the `Retry-After` header, seconds (quota: 429). */
  readonly retryAfterSeconds?: number;
}

/** Close the socket with `code` (1007, 1011…) once this much audio arrived (recognition) or after this many audio chunks (synthesis). */
export interface CloseFault {
  readonly kind: 'close';
  readonly code: number;
  /** Recognition: audio (ms) received on the connection before closing; default 0 (first audio). */
  readonly afterAudioMs?: number;
  /**
   * Recognition: close right after this many `speech.hypothesis` messages instead (with
   * `afterHypotheses: 1` on every socket, a service that drops every stream after its first interim).
   */
  readonly afterHypotheses?: number;
  /** Synthesis: audio chunks sent before closing; default 0. */
  readonly afterChunks?: number;
}

/** Recognition: the connection's first phrase comes back with `RecognitionStatus: "Error"`. */
export interface PhraseErrorFault {
  readonly kind: 'phrase-error';
}

/**
 * The service goes quiet: recognition never answers the end of audio with `turn.end`;
 * synthesis stops after `afterChunks` audio chunks and never ends the turn.
 */
export interface StallFault {
  readonly kind: 'stall';
  readonly afterChunks?: number;
}

/** Every message the service sends on this connection is delayed by `delayMs`. */
export interface SlowFault {
  readonly kind: 'slow';
  readonly delayMs: number;
}

/** Any scripted failure. */
export type EmulatorFault = RejectUpgradeFault | CloseFault | PhraseErrorFault | StallFault | SlowFault;
