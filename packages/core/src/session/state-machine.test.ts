import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../errors/families';
import type { AgentState } from './state';
import { derivePhase } from './state';
import { AGENT_TRANSITIONS, type AgentEvent, StateMachine } from './state-machine';

describe('agent state machine', () => {
  it('walks a turn: listening → thinking → speaking → listening', () => {
    const machine = new StateMachine<AgentState, AgentEvent>('agent', AGENT_TRANSITIONS, 'idle');
    expect(['start', 'reply', 'first-audio', 'done'].map((e) => machine.send(e as AgentEvent))).toEqual([
      'listening',
      'thinking',
      'speaking',
      'listening',
    ]);
  });

  it('refuses a transition its table lacks with a typed error and keeps its state', () => {
    const machine = new StateMachine<AgentState, AgentEvent>('agent', AGENT_TRANSITIONS, 'idle');
    machine.send('start');
    expect(() => machine.send('first-audio')).toThrow(IllegalTransitionError);
    expect(machine.state).toBe('listening');
  });

  it('gets back to listening from every busy state on interrupt, failure and end', () => {
    for (const state of ['thinking', 'speaking'] as const) {
      for (const event of ['interrupt', 'fail', 'done'] as const)
        expect(AGENT_TRANSITIONS[state][event]).toBe('listening');
      expect(AGENT_TRANSITIONS[state].suspend).toBe('idle');
    }
  });

  it('derives the four seed phases', () => {
    expect(derivePhase('listening', 'listening')).toBe('listening');
    expect(derivePhase('listening', 'speaking')).toBe('user-speaking');
    expect(derivePhase('thinking', 'speaking')).toBe('processing');
    expect(derivePhase('speaking', 'speaking')).toBe('agent-speaking');
  });
});
