/** Lower-case words of a transcript, punctuation dropped, any script (`\p{L}`, `\p{N}`). */
export function wordsOf(text: string): string[] {
  return text.toLocaleLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * True when every word of `text` belongs to a backchannel phrase ("mm-hmm", "yeah", "i see"),
 * i.e. the user acknowledges without asking for the floor. Empty text is not a backchannel.
 */
export function isBackchannel(text: string, backchannels: readonly string[]): boolean {
  const words = wordsOf(text);
  return words.length > 0 && coveredPhrases(words, backchannels) !== undefined;
}

/** Words that may stand around a stop phrase without making it more than a stop ("stop please"). */
const STOP_COMPANIONS = ['please', 'just', 'now', 'ok', 'okay', 'oh', 'um', 'uh', 'hey', 'no', 'sorry'];

/**
 * True when `text` only asks the agent to stop: made of `stopPhrases` ("stop", "hold on",
 * "never mind"), with at least one of them, and at most polite companions around them
 * ("stop please stop", "never mind stop talking", "okay stop").
 */
export function isStopPhrase(text: string, stopPhrases: readonly string[]): boolean {
  const words = wordsOf(text);
  if (words.length === 0 || stopPhrases.length === 0) return false;
  const stops = stopPhrases.map((phrase) => wordsOf(phrase).join(' '));
  const used = coveredPhrases(words, [...stopPhrases, ...STOP_COMPANIONS]);
  return used?.some((phrase) => stops.includes(phrase)) ?? false;
}

/**
 * Covers `words` with `phrases`, longest first ("i see" before "i"); returns the phrases used
 * (as lower-case words joined by spaces), or undefined when some word is left over.
 */
function coveredPhrases(words: readonly string[], phrases: readonly string[]): string[] | undefined {
  const candidates = phrases.map((phrase) => wordsOf(phrase)).filter((p) => p.length > 0);
  candidates.sort((a, b) => b.length - a.length);
  const used: string[] = [];
  let at = 0;
  while (at < words.length) {
    const match = candidates.find((p) => p.every((word, i) => words[at + i] === word));
    if (!match) return undefined;
    used.push(match.join(' '));
    at += match.length;
  }
  return used;
}
