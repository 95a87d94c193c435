/**
 * Latency of one turn, in milliseconds. A field is absent when its moment did not happen (no
 * tool call, interrupted before audio, client that sends no playback acks…).
 *
 * The chain a user feels: the user stops talking → `endOfUtteranceDelayMs` → the turn is
 * committed → `llmTtftMs` → first token → `textAggregationMs` → first sentence → `ttsTtfbMs` →
 * first audio byte. `serverTtfaMs` spans all of that; `voiceToVoiceMs` adds the trip to the
 * listener's speaker, measured when the client acks the first played sample.
 */
export interface TurnMetrics {
  readonly turnId: string;
  readonly speechId: string;
  /**
   * User speech end → end of turn decided. Speech end is where the user's voice stopped on the
   * audio timeline (as the VAD or recognizer placed it), mapped onto the session clock — so this
   * includes the detector's own silence wait, not only what happens after its event.
   */
  readonly endOfUtteranceDelayMs?: number;
  /** User speech end → final transcript received. */
  readonly sttFinalDelayMs?: number;
  /** LLM request sent → first token. */
  readonly llmTtftMs?: number;
  /** First token → first sentence handed to TTS. */
  readonly textAggregationMs?: number;
  /** First TTS request → first audio chunk. */
  readonly ttsTtfbMs?: number;
  /** User speech end (or end of turn, when unknown) → first audio chunk leaves the session. */
  readonly serverTtfaMs?: number;
  /** User speech end → client reports the first sample played. */
  readonly voiceToVoiceMs?: number;
  /** User speech onset → `pause` control out (barge-in only). */
  readonly interruptPauseMs?: number;
  /** User speech onset → interrupt committed and provider work aborted (barge-in only). */
  readonly interruptCommitMs?: number;
  /** LLM requests started preemptively and thrown away because the final text differed. */
  readonly preemptiveWasted: number;
  /** Agent audio produced for this speech, ms. */
  readonly audioMs: number;
  readonly interrupted: boolean;
}
