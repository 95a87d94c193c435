export {
  DEFAULT_BACKCHANNELS,
  DEFAULT_STOP_PHRASES,
  type PerAgentState,
  type ResolvedVoiceSessionConfig,
  resolveVoiceSessionConfig,
  type VoiceSessionConfig,
  voiceSessionConfigSchema,
} from './config';
export { createVoiceSession } from './create-voice-session';
export type { SessionEvent, SessionEventMap, SessionEventType } from './events';
export { type LogSessionOptions, logSession } from './log-session';
export * from './pipeline/index';
export { SessionRegistry } from './session-registry';
export { type AgentState, derivePhase, type SessionPhase, type SessionState, type UserState } from './state';
export {
  AGENT_TRANSITIONS,
  type AgentEvent,
  StateMachine,
  type TransitionTable,
  USER_TRANSITIONS,
  type UserEvent,
} from './state-machine';
export type { ToolOutcome } from './tool-runner';
export { defineTool, type Tool, type ToolExecutionContext } from './tools';
export { CANCELLED_TOOL_RESULT, findHistoryProblems } from './turn-log';
export type { AudioInput, PlaybackAck, SayOptions, VoiceSession } from './voice-session';
