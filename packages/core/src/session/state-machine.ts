import { IllegalTransitionError } from '../errors/families';

/** A transition table: for each state, the events it accepts and where each leads. */
export type TransitionTable<S extends string, E extends string> = {
  readonly [K in S]: Partial<Readonly<Record<E, S>>>;
};

/**
 * A finite state machine whose transitions are data, so the table can be read (and tested)
 * as a whole. `send` with an event the current state does not accept throws
 * {@link IllegalTransitionError} and leaves the state unchanged.
 */
export class StateMachine<S extends string, E extends string> {
  #state: S;

  constructor(
    readonly name: string,
    readonly table: TransitionTable<S, E>,
    initial: S,
  ) {
    this.#state = initial;
  }

  get state(): S {
    return this.#state;
  }

  can(event: E): boolean {
    return this.table[this.#state][event] !== undefined;
  }

  send(event: E): S {
    const next = this.table[this.#state][event];
    if (next === undefined) throw new IllegalTransitionError(this.name, this.#state, event);
    this.#state = next;
    return next;
  }
}

/** Events that move the agent part of a session. */
export type AgentEvent =
  | 'start'
  | 'reply'
  | 'first-audio'
  | 'done'
  | 'interrupt'
  | 'fail'
  | 'suspend'
  | 'close';
/** Events that move the user part of a session. */
export type UserEvent = 'speech-start' | 'speech-end';

/**
 * The agent's table. `reply` starts any speech (LLM reply or `say()`); `done` is the end of
 * playout (or a reply with nothing to say); `interrupt` and `fail` always return to listening,
 * so no turn can get stuck. `suspend` parks the agent in `idle` until `start` again.
 */
export const AGENT_TRANSITIONS = {
  idle: { start: 'listening', close: 'idle' },
  listening: { reply: 'thinking', suspend: 'idle', close: 'idle' },
  thinking: {
    'first-audio': 'speaking',
    done: 'listening',
    interrupt: 'listening',
    fail: 'listening',
    suspend: 'idle',
    close: 'idle',
  },
  speaking: { done: 'listening', interrupt: 'listening', fail: 'listening', suspend: 'idle', close: 'idle' },
} as const satisfies TransitionTable<'idle' | 'listening' | 'thinking' | 'speaking', AgentEvent>;

export const USER_TRANSITIONS = {
  listening: { 'speech-start': 'speaking' },
  speaking: { 'speech-end': 'listening' },
} as const satisfies TransitionTable<'listening' | 'speaking', UserEvent>;
