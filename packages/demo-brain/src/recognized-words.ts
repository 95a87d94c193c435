/**
 * The words of a transcript as the intent matcher compares them: lower case, apostrophes dropped
 * (`what's` → `whats`, `o'clock` → `oclock`), anything that is not a letter or digit a separator.
 */
export function recognizedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * Whether two words differ by at most one letter inserted, deleted or replaced
 * (`weather` ~ `wether`, `story` ~ `storey`). Catches small recognition slips.
 */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < shorter.length && j < longer.length) {
    if (shorter[i] === longer[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (shorter.length === longer.length) i++;
    j++;
  }
  return edits + (longer.length - j) + (shorter.length - i) <= 1;
}
