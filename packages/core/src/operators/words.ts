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
  if (words.length === 0) return false;
  const phrases = backchannels.map((phrase) => wordsOf(phrase)).filter((p) => p.length > 0);
  // Greedy cover of the utterance by known phrases, longest first ("i see" before "i").
  phrases.sort((a, b) => b.length - a.length);
  let at = 0;
  while (at < words.length) {
    const match = phrases.find((p) => p.every((word, i) => words[at + i] === word));
    if (!match) return false;
    at += match.length;
  }
  return true;
}
