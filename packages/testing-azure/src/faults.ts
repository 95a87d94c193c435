/**
 * Failures the emulator can play, one connection at a time. Queue them with
 * {@link AzureSpeechEmulator.fail}; each new connection of that kind takes the next one.
 */

/** Answer the WebSocket upgrade with this HTTP status instead of accepting it (401, 403, 429, 503…). */
export interface RejectUpgradeFault {
  readonly kind: 'reject-upgrade';
  readonly status: number;
}

/** Close the socket with `code` (1007, 1011…) once this much audio arrived (recognition) or after this many audio chunks (synthesis). */
export interface CloseFault {
  readonly kind: 'close';
  readonly code: number;
  /** Recognition: audio (ms) received on the connection before closing; default 0 (first audio). */
  readonly afterAudioMs?: number;
  /** Synthesis: audio chunks sent before closing; default 0. */
  readonly afterChunks?: number;
}

/** Recognition: the next phrase comes back with `RecognitionStatus: "Error"`. */
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
