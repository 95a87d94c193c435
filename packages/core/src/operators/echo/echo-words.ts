import { wordsOf } from '../words';

/** How much of a transcript must repeat the agent, in order, to be its echo. */
const ECHO_SHARE = 0.6;
/**
 * Words of a transcript the agent did not say that its echo may still hold: one, or a quarter of
 * a long transcript (the recognizer mishears some of a quiet, filtered echo).
 */
const strayWordsAllowed = (words: number) => Math.max(1, Math.floor(words / 4));
/** Only the agent's last words can be coming back; older ones are not compared. */
const RECENT_AGENT_WORDS = 40;

/**
 * True when a transcript only repeats what the agent has just said — the recognizer hearing the
 * agent's own voice through the user's microphone: at least 60 % of its words appear, in the
 * same order, among the agent's last 40 words, and at most one in four (at least one) does not.
 * A real interruption shares a word or two with the agent at most ("what about the weather"
 * over "the weather is sunny" is 2 of 4: not an echo), and a user who answers with some of the
 * agent's words adds their own ("please tell me a story" after "ask me to tell you a story").
 *
 * @example
 * ```ts
 * isEchoOf('is sunny in', 'The weather is sunny in Paris today.') // true
 * isEchoOf('wait what time is it', 'The weather is sunny in Paris today.') // false
 * ```
 */
export function isEchoOf(transcript: string, agentText: string): boolean {
  const heard = wordsOf(transcript);
  if (heard.length === 0) return false;
  const agent = wordsOf(agentText).slice(-RECENT_AGENT_WORDS);
  const repeated = commonSubsequenceLength(heard, agent);
  return (
    repeated >= Math.ceil(heard.length * ECHO_SHARE) &&
    heard.length - repeated <= strayWordsAllowed(heard.length)
  );
}

/** Length of the longest common subsequence of two word lists. */
function commonSubsequenceLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++)
      row[j] = word === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, row[j - 1]!);
    previous = row;
  }
  return previous[b.length]!;
}
