import { expect } from 'vitest';
import { type FaultKind, faultIn, type SimulatedUser, type TurnOutcome } from '../src/index';

/**
 * The turn holding `word` must end as its fault words say (the turn may have merged with an
 * utterance sent just before: its words decide), with exactly one typed error if it failed.
 * Without chains: a typed error naming the faulty provider, or the reply's audio and speech end.
 * With fallback chains the stand-by answers whatever the primary could not start (`fail-first`,
 * `stall` and `hang` too, after the chain's 1 s first-output limit): only a failure after output
 * (`fail-mid`) may end the turn, with the primary's error — or not, when the primary was out of
 * service and the stand-by served the turn.
 */
export async function expectTurnEnd(user: SimulatedUser, word: string, chains: boolean): Promise<void> {
  const turn = () => user.userTurns.find((t) => t.text.split(' ').includes(word));
  await user.waitFor(() => turn() !== undefined, `the turn of ${word}`);
  const turnText = turn()!.text;
  const llmFault = faultIn(turnText, 'llm');
  const ttsFault = faultIn(turnText, 'tts');
  const isFailing = (kind: FaultKind | undefined) =>
    chains ? kind === 'fail-mid' : kind === 'fail-first' || kind === 'fail-mid';
  // Without chains, a hanging provider never ends the turn by itself (a later barge-in or close will).
  if (!chains && (llmFault === 'hang' || (!isFailing(llmFault) && ttsFault === 'hang'))) return;
  const outcome = await user.outcome(word, 10_000);
  const mayFail = new Set<string>();
  if (isFailing(llmFault)) mayFail.add('llm:faulty');
  if (isFailing(ttsFault) && (chains || llmFault !== 'fail-first')) mayFail.add('tts:faulty');
  if (!chains && mayFail.size > 0) expect(outcome.how).toBe('error');
  if (mayFail.size === 0) expect(outcome.how).toBe('spoken');
  if (outcome.how === 'error') {
    expect(outcome.error?.code).toBe('provider_unavailable');
    expect([...mayFail]).toContain(outcome.error?.source);
  } else {
    expect(outcome.speechEnd?.interrupted).toBe(false);
    expect(user.audioTurnIds.has(outcome.turnId)).toBe(true);
  }
  await expectOneErrorAtMost(user, outcome);
}

/** A turn ends with exactly one typed error, or none: waits for its speech to end, then counts. */
async function expectOneErrorAtMost(user: SimulatedUser, outcome: TurnOutcome): Promise<void> {
  const { turnId } = outcome;
  if (outcome.how === 'error')
    await user
      .waitFor(() => user.speechEnds.some((e) => e.turnId === turnId), `the speech end of ${turnId}`, 3000)
      .catch(() => undefined);
  expect(user.errors.filter((e) => e.turnId === turnId)).toHaveLength(outcome.how === 'error' ? 1 : 0);
}
