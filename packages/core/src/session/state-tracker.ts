import { IllegalTransitionError } from '../errors/families';
import { type AgentState, derivePhase, type SessionState, type UserState } from './state';
import {
  AGENT_TRANSITIONS,
  type AgentEvent,
  StateMachine,
  USER_TRANSITIONS,
  type UserEvent,
} from './state-machine';

/**
 * The session's two state machines (agent and user) and the state they add up to. Reports each
 * change once; an event the table refuses is reported as an error and changes nothing.
 */
export class StateTracker {
  readonly #agent = new StateMachine<AgentState, AgentEvent>('agent', AGENT_TRANSITIONS, 'idle');
  readonly #user = new StateMachine<UserState, UserEvent>('user', USER_TRANSITIONS, 'listening');

  constructor(
    private readonly onChange: (state: SessionState, previous: SessionState) => void,
    private readonly onIllegal: (error: IllegalTransitionError) => void,
  ) {}

  get agent(): AgentState {
    return this.#agent.state;
  }

  get user(): UserState {
    return this.#user.state;
  }

  snapshot(): SessionState {
    return { agent: this.agent, user: this.user, phase: derivePhase(this.agent, this.user) };
  }

  moveAgent(event: AgentEvent): void {
    this.#move(this.#agent, event);
  }

  /** User events that do not apply (speech-end while listening) are ignored, not errors. */
  moveUser(event: UserEvent): void {
    if (this.#user.can(event)) this.#move(this.#user, event);
  }

  #move<S extends string, E extends string>(machine: StateMachine<S, E>, event: E): void {
    const previous = this.snapshot();
    try {
      machine.send(event);
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      this.onIllegal(error);
      return;
    }
    const state = this.snapshot();
    if (state.agent !== previous.agent || state.user !== previous.user) this.onChange(state, previous);
  }
}
