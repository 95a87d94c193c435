/**
 * Identity carried by every agent-side item (token, sentence, audio chunk).
 *
 * - `turnId` names one exchange: the user's utterance and the agent's answer to it.
 * - `speechId` names one *generation* of agent speech within a turn. A turn can have several
 *   (a preemptive attempt that was discarded, a tool-call continuation, a filler phrase).
 *   Interrupts, playback acks and heard-text bookkeeping are keyed by `speechId`.
 */
export interface SpeechRef {
  readonly turnId: string;
  readonly speechId: string;
}

/**
 * The session, turn and speech a provider request serves. The session sets it on each LLM
 * request and its default `speech` stage on each TTS request; adapters ignore it, and a
 * decorator of a provider (a trace span, a log line, a cost ledger) reads it to attribute the request.
 */
export interface RequestOrigin extends SpeechRef {
  readonly sessionId: string;
}
