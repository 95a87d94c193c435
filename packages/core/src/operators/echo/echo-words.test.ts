import { describe, expect, it } from 'vitest';
import { isEchoOf } from './echo-words';

const agent =
  'Once upon a time, a fox lived at the edge of a quiet forest. Every morning it walked to the river.';

describe('isEchoOf', () => {
  it.each(['every morning it walked', 'the edge of a quite forest', 'river', 'once upon time fox'])(
    'takes "%s" for the agent coming back',
    (heard) => {
      expect(isEchoOf(heard, agent)).toBe(true);
    },
  );

  it.each(['wait what time is it', 'stop', 'what about the forest fire', 'tell me a joke instead'])(
    'takes "%s" for the user',
    (heard) => {
      expect(isEchoOf(heard, agent)).toBe(false);
    },
  );

  it('takes a user who answers with some of the agent’s words, and their own, for the user', () => {
    const greeting = 'You can ask me the time, ask about the weather, or ask me to tell you a story.';
    expect(isEchoOf('please tell me a story', greeting)).toBe(false);
    expect(isEchoOf('tell you a story', greeting)).toBe(true);
  });

  it('compares with the agent’s last words only', () => {
    const long = `${'one two three four five six seven eight nine ten '.repeat(5)}blue sky`;
    expect(isEchoOf('blue sky', long)).toBe(true);
    expect(isEchoOf('once upon a time', `once upon a time ${long}`)).toBe(false);
  });

  it('is never an echo of silence, nor is an empty transcript', () => {
    expect(isEchoOf('hello there', '')).toBe(false);
    expect(isEchoOf('  ', agent)).toBe(false);
  });
});
