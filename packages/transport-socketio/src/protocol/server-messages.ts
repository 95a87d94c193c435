import { z } from 'zod';
import { PROTOCOL_VERSION } from './version';

const turnId = z.string();
const speechId = z.string();
const ms = z.number().nonnegative();
const optionalMs = ms.optional();

/**
 * `ready`: the session is attached to this socket; audio sent from now on is heard. With a
 * `sessionStore`, sent once the store holds its `resumeToken` (or after `storeTimeoutMs`), so
 * the token opens the session on any process even if this one dies the next instant.
 */
export const readyMessageSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  sessionId: z.string(),
  /** Single use, bound to the authenticated identity; send it in the handshake to resume. */
  resumeToken: z.string(),
  /** How long the session waits for this client after a drop, ms (0: no resumption). */
  resumeWindowMs: ms,
  /** True when this connection re-attached to an earlier session. */
  resumed: z.boolean(),
  /** The sample rate `start` and every `audio` frame must use. */
  inputSampleRate: z.number().int().positive(),
  /** Whether the microphone lane is open (`start` was received and not stopped). */
  isStarted: z.boolean(),
  /**
   * The server takes mic frames as compact audio messages (`encodeCompactAudio`, one WebSocket
   * message each) as well as `audio` events. Absent means no. Protocol 1 revision 3.
   */
  compactAudio: z.boolean().optional(),
  /**
   * The session was rebuilt on this server from its stored snapshot (another server process
   * held it): `drop` when saved as the connection dropped (nothing was lost); `checkpoint` when
   * saved after the last finished turn — the process holding it died, and a turn in progress then
   * (the user's words and the reply) is not in the history. Absent for a new session and for a
   * resume on the same server process (protocol 1 revision 4).
   */
  restored: z.enum(['drop', 'checkpoint']).optional(),
});
export type ReadyMessage = z.infer<typeof readyMessageSchema>;

export const stateMessageSchema = z.object({
  agent: z.enum(['idle', 'listening', 'thinking', 'speaking']),
  user: z.enum(['listening', 'speaking']),
  phase: z.enum(['listening', 'user-speaking', 'processing', 'agent-speaking']),
});
export type StateMessage = z.infer<typeof stateMessageSchema>;

export const transcriptMessageSchema = z.object({
  text: z.string(),
  isFinal: z.boolean(),
  stability: z.number().optional(),
  confidence: z.number().optional(),
  startMs: optionalMs,
  endMs: optionalMs,
  language: z.string().optional(),
  alternatives: z.array(z.string()).optional(),
});
export type TranscriptMessage = z.infer<typeof transcriptMessageSchema>;

export const userTurnMessageSchema = z.object({ turnId, text: z.string() });
export type UserTurnMessage = z.infer<typeof userTurnMessageSchema>;

export const speechStartMessageSchema = z.object({ turnId, speechId, allowInterruptions: z.boolean() });
export type SpeechStartMessage = z.infer<typeof speechStartMessageSchema>;

export const agentTextMessageSchema = z.object({
  turnId,
  speechId,
  text: z.string(),
  index: z.number().int().nonnegative(),
});
export type AgentTextMessage = z.infer<typeof agentTextMessageSchema>;

/**
 * `agent-audio` is sent as `(header, pcm, ack)`: this JSON header, then the Int16 little-endian
 * PCM as a binary attachment. The client must call `ack()` on receipt (flow control).
 */
export const agentAudioHeaderSchema = z.object({
  turnId,
  speechId,
  /** 0-based within the speech; a gap means the server dropped the rest of the speech. */
  seq: z.number().int().nonnegative(),
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  /** Position of the first sample within the speech, ms. */
  offsetMs: ms,
  durationMs: ms,
  sentenceIndex: z.number().int().nonnegative(),
});
export type AgentAudioHeader = z.infer<typeof agentAudioHeaderSchema>;

/**
 * `audio-end`: the last `agent-audio` chunk of `speechId` has been sent; no more follow. Sent in
 * order behind that speech's audio, so a player holding every chunk can tell the end of the
 * speech from a stall and report `playback-finished` the moment its last sample plays. Not sent
 * for a speech interrupted before its audio was complete, nor for one cut by the drop policy.
 * Added in protocol 1 revision 2; clients that do not know it ignore it.
 */
export const audioEndMessageSchema = z.object({
  turnId,
  speechId,
  /** Total audio of the speech, ms (the sum of its chunks' `durationMs`). */
  audioMs: ms,
});
export type AudioEndMessage = z.infer<typeof audioEndMessageSchema>;

/** `control`: playback controls, on their own event so they never wait behind audio. */
export const controlMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause'), speechId, source: z.string() }),
  z.object({ type: z.literal('resume'), speechId }),
  z.object({ type: z.literal('interrupt'), speechId, source: z.string() }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/**
 * `speech-end`: the agent's speech ended, played out or cut (`heardText` is what was heard). It
 * is the client's sign that a turn finished, so with a `sessionStore` the server sends it only
 * once that turn's checkpoint is stored — or after `storeTimeoutMs` if the store does not
 * answer — and everything the session says after it waits behind it: a client told of a
 * finished turn resumes with it even if its server dies the next instant.
 */
export const speechEndMessageSchema = z.object({
  turnId,
  speechId,
  interrupted: z.boolean(),
  heardText: z.string(),
  text: z.string(),
});
export type SpeechEndMessage = z.infer<typeof speechEndMessageSchema>;

/** Per-turn latency breakdown, ms (fields absent when the moment did not happen). */
export const metricsMessageSchema = z.object({
  turnId,
  speechId,
  endOfUtteranceDelayMs: optionalMs,
  sttFinalDelayMs: optionalMs,
  llmTtftMs: optionalMs,
  textAggregationMs: optionalMs,
  ttsTtfbMs: optionalMs,
  serverTtfaMs: optionalMs,
  voiceToVoiceMs: optionalMs,
  interruptPauseMs: optionalMs,
  interruptCommitMs: optionalMs,
  preemptiveWasted: z.number().int().nonnegative(),
  audioMs: ms,
  interrupted: z.boolean(),
});
export type MetricsMessage = z.infer<typeof metricsMessageSchema>;

export const closedMessageSchema = z.object({ reason: z.string() });
export type ClosedMessage = z.infer<typeof closedMessageSchema>;
