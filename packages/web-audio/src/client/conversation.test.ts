import { describe, expect, it } from 'vitest';
import { type ConversationUpdate, INITIAL_SNAPSHOT, updateSnapshot } from './conversation';

const run = (updates: ConversationUpdate[]) => updates.reduce(updateSnapshot, INITIAL_SNAPSHOT);

describe('updateSnapshot', () => {
  it('shows interim words, then the user turn, then the agent reply sentence by sentence', () => {
    const snapshot = run([
      { type: 'transcript', transcript: { text: 'what time', isFinal: false } },
      { type: 'user-turn', turn: { turnId: 't1', text: 'what time is it' } },
      { type: 'agent-text', text: { turnId: 't1', speechId: 's1', text: 'It is noon.', index: 0 } },
      { type: 'agent-text', text: { turnId: 't1', speechId: 's1', text: 'Anything else?', index: 1 } },
    ]);
    expect(snapshot.interimTranscript).toBe('');
    expect(snapshot.conversation).toEqual([
      { role: 'user', turnId: 't1', text: 'what time is it' },
      { role: 'agent', turnId: 't1', speechId: 's1', text: 'It is noon. Anything else?' },
    ]);
  });

  it('keeps the interim transcript while the user talks and clears it on a final', () => {
    const talking = run([{ type: 'transcript', transcript: { text: 'hello th', isFinal: false } }]);
    expect(talking.interimTranscript).toBe('hello th');
    expect(
      updateSnapshot(talking, { type: 'transcript', transcript: { text: 'hello there', isFinal: true } })
        .interimTranscript,
    ).toBe('');
  });

  it('marks an interrupted reply with what was heard of it', () => {
    const snapshot = run([
      { type: 'agent-text', text: { turnId: 't1', speechId: 's1', text: 'A long answer.', index: 0 } },
      {
        type: 'speech-end',
        end: { turnId: 't1', speechId: 's1', interrupted: true, heardText: 'A long', text: 'A long answer.' },
      },
    ]);
    expect(snapshot.conversation).toEqual([
      {
        role: 'agent',
        turnId: 't1',
        speechId: 's1',
        text: 'A long answer.',
        isInterrupted: true,
        heardText: 'A long',
      },
    ]);
  });

  it('never mutates the previous snapshot and returns it unchanged for a repeated status', () => {
    const before = run([{ type: 'status', status: 'ready' }]);
    const copy = structuredClone(before);
    const after = updateSnapshot(before, { type: 'user-turn', turn: { turnId: 't', text: 'hi' } });
    expect(before).toEqual(copy);
    expect(after).not.toBe(before);
    expect(updateSnapshot(before, { type: 'status', status: 'ready' })).toBe(before);
  });

  it('clears a shown error once the agent answers again or the connection is ready again', () => {
    const error = { code: 'provider_unavailable', reason: 'session_error', message: 'The LLM failed.' };
    const failed = run([
      { type: 'status', status: 'ready' },
      { type: 'error', error },
    ]);
    expect(failed.error).toEqual(error);
    expect(
      updateSnapshot(failed, { type: 'user-turn', turn: { turnId: 't2', text: 'again' } }).error,
    ).toEqual(error);
    const answered = updateSnapshot(failed, {
      type: 'agent-text',
      text: { turnId: 't2', speechId: 's2', text: 'Here you go.', index: 0 },
    });
    expect(answered.error).toBeUndefined();
    const reconnected = run([
      { type: 'status', status: 'ready' },
      { type: 'error', error },
      { type: 'status', status: 'reconnecting' },
    ]);
    expect(reconnected.error).toEqual(error);
    expect(updateSnapshot(reconnected, { type: 'status', status: 'ready' }).error).toBeUndefined();
  });
});
