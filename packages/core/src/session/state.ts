/** What the agent is doing. `idle` before start and after close. */
export type AgentState = 'idle' | 'listening' | 'thinking' | 'speaking';
/** Whether the user is talking. */
export type UserState = 'listening' | 'speaking';
/** One word for a UI, matching the seed's four phases. Derived from the two parts. */
export type SessionPhase = 'listening' | 'user-speaking' | 'processing' | 'agent-speaking';

export interface SessionState {
  readonly agent: AgentState;
  readonly user: UserState;
  readonly phase: SessionPhase;
}

/** The phase a UI shows for a pair of agent and user states. */
export function derivePhase(agent: AgentState, user: UserState): SessionPhase {
  if (agent === 'thinking') return 'processing';
  if (agent === 'speaking') return 'agent-speaking';
  return user === 'speaking' ? 'user-speaking' : 'listening';
}
