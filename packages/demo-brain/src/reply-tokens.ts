/**
 * Splits a reply the way chat models stream it: each word with the whitespace before it, so
 * joining the tokens gives back the reply exactly.
 */
export function replyTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}
