import { type ScriptedUtterance, virtualConversation } from '@voxduplex/core/testing';
import { describe, expect, it } from 'vitest';
import { holdAfterConjunction } from '../src/recipes/hold-after-conjunction';

const HOLD_MS = 1500;
/** The session's default `minEndpointDelayMs`: the wait after a final before the turn ends. */
const ENDPOINT_DELAY_MS = 200;

/** A session whose turns end by the recipe, and what the user and the LLM saw. */
async function turnsOf(utterances: ScriptedUtterance[], withRecipe = true) {
  const c = virtualConversation({
    utterances,
    llm: { reply: 'Coming right up.' },
    config: withRecipe ? { pipeline: { endOfTurn: holdAfterConjunction({ holdMs: HOLD_MS }) } } : {},
  });
  await c.runAsync();
  const finals = c.ofType('transcript').filter((e) => e.transcript.isFinal);
  return {
    turns: c.ofType('user-turn').map((e) => ({ text: e.text, at: e.at })),
    finalsAt: finals.map((e) => e.at),
    asked: c.llm.requests.map((request) => request.messages.at(-1)?.content),
    userHistory: c.session.history.flatMap((m) => (m.role === 'user' ? [m.content] : [])),
  };
}

describe('recipe 3: a longer wait after "and", "but", "so"', () => {
  it('joins "I want tea and" + a pause + "milk" into one turn, answered once', async () => {
    const utterances = [
      { text: 'I want tea and', startMs: 500 },
      { text: 'milk', startMs: 2400 },
    ];
    const seen = await turnsOf(utterances);
    expect(seen.turns).toEqual([{ text: 'I want tea and milk', at: seen.finalsAt[1]! + ENDPOINT_DELAY_MS }]);
    expect(seen.asked).toEqual(['I want tea and milk']);
    expect(seen.userHistory).toEqual(['I want tea and milk']);
    // The default detector alone would have answered "I want tea and" already.
    expect((await turnsOf(utterances, false)).asked[0]).toBe('I want tea and');
  });

  it('ends "I want tea" after the normal delay, as the default detector does', async () => {
    const utterances = [{ text: 'I want tea', startMs: 500 }];
    const seen = await turnsOf(utterances);
    expect(seen.turns).toEqual([{ text: 'I want tea', at: seen.finalsAt[0]! + ENDPOINT_DELAY_MS }]);
    expect(seen.turns).toEqual((await turnsOf(utterances, false)).turns);
  });

  it('releases a held turn when nothing follows within the wait', async () => {
    const seen = await turnsOf([{ text: 'I want tea and', startMs: 500 }]);
    expect(seen.turns).toEqual([
      { text: 'I want tea and', at: seen.finalsAt[0]! + ENDPOINT_DELAY_MS + HOLD_MS },
    ]);
    expect(seen.asked).toEqual(['I want tea and']);
  });

  it('gives the user the whole wait again after they stop speaking', async () => {
    // "so" is held; the user talks for 1.8 s (longer than the wait) and ends with "but": held again.
    const seen = await turnsOf([
      { text: 'I am hungry so', startMs: 500 },
      { text: 'maybe some cake or toast but', startMs: 2400 },
      { text: 'no butter', startMs: 5500 },
    ]);
    expect(seen.turns.map((turn) => turn.text)).toEqual([
      'I am hungry so maybe some cake or toast but no butter',
    ]);
  });

  it('answers separately when the user stays quiet longer than the wait', async () => {
    const seen = await turnsOf([
      { text: 'I want tea and', startMs: 500 },
      // Said over the agent's answer: long enough (700 ms) not to be taken for a backchannel.
      { text: 'milk', startMs: 5000, durationMs: 700 },
    ]);
    expect(seen.turns.map((turn) => turn.text)).toEqual(['I want tea and', 'milk']);
  });
});
