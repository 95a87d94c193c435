/**
 * English abbreviations that end in a period without ending the sentence. Matched
 * case-insensitively against the whole word before the period ("Dr." but not "Endr.").
 * Replace or extend the list through the `abbreviations` option of {@link splitSentences} and
 * {@link chunkSentences}: `[...DEFAULT_ABBREVIATIONS, 'Inc.']`.
 */
export const DEFAULT_ABBREVIATIONS: readonly string[] = [
  'Dr.',
  'Mr.',
  'Mrs.',
  'Ms.',
  'Prof.',
  'Sr.',
  'Jr.',
  'St.',
  'e.g.',
  'i.e.',
  'etc.',
  'vs.',
  'U.S.',
  'a.m.',
  'p.m.',
];

/**
 * What a run of whitespace means for chunking:
 * - `sentence`: it follows the end of a sentence (`.?!…` that is not an abbreviation, a decimal,
 *   a list number or an ellipsis leading into a lowercase word) or it holds a line break;
 * - `clause`: it follows `,;:—`;
 * - `none`: neither;
 * - `pending`: the text that decides has not arrived yet.
 */
export type BreakKind = 'sentence' | 'clause' | 'none' | 'pending';

const SENTENCE_END = new Set(['.', '?', '!', '…']);
const CLAUSE_END = new Set([',', ';', ':', '—']);
// Closing quotes, brackets and emphasis markers that may stand between the punctuation and the
// space: `"Stop!" Then`, `**Done.** Next`.
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '}', '*', '_', '`']);
// The same on the other side, before the next word: `Done. "Next`, `Well... *maybe*`.
const OPENERS = new Set(['"', "'", '“', '‘', '«', '(', '[', '{', '*', '_', '`', '¿', '¡']);
const WORD_CHAR = /[\p{L}\p{M}\p{N}.]/u;
const LOWERCASE = /^\p{Ll}/u;
const INITIAL = /^\p{Lu}$/u;
const LIST_NUMBER = /^\d{1,3}$/;

/** True for the whitespace characters that separate chunks (any Unicode space or line break). */
export function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

/**
 * Classifies the maximal whitespace run `text[start, end)`. Reads only the text before the run and
 * the first letter after it (past opening quotes and markup); when that letter has not arrived and
 * `isComplete` is false, answers `pending`, so a verdict never changes as more text arrives.
 *
 * @param abbreviations lowercased, each ending in a period (`'dr.'`, `'u.s.'`).
 */
export function classifyBreak(
  text: string,
  start: number,
  end: number,
  isComplete: boolean,
  abbreviations: ReadonlySet<string>,
): BreakKind {
  if (text.slice(start, end).includes('\n')) return 'sentence';
  let beforeClosers = start;
  while (beforeClosers > 0 && CLOSERS.has(text[beforeClosers - 1]!)) beforeClosers--;
  const last = text[beforeClosers - 1];
  if (last === undefined) return 'none';
  if (CLAUSE_END.has(last)) return 'clause';
  if (!SENTENCE_END.has(last)) return 'none';

  let punctuationStart = beforeClosers - 1;
  while (punctuationStart > 0 && SENTENCE_END.has(text[punctuationStart - 1]!)) punctuationStart--;
  const isSinglePeriod = beforeClosers - punctuationStart === 1 && last === '.';
  if (isSinglePeriod && isPeriodInsideSentence(text, punctuationStart, abbreviations)) return 'none';

  let next = end;
  while (next < text.length && OPENERS.has(text[next]!)) next++;
  if (next === text.length) return isComplete ? 'sentence' : 'pending';
  // Half of a surrogate pair: its letter (and case) is still on its way.
  if (next === text.length - 1 && isHighSurrogate(text.charCodeAt(next)) && !isComplete) return 'pending';
  // "Well... maybe", "e.g. this": a sentence does not start in lowercase.
  return LOWERCASE.test(text.slice(next, next + 2)) ? 'none' : 'sentence';
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The period at `periodAt`, followed by whitespace, closes an abbreviation, an initial or a list number. */
function isPeriodInsideSentence(text: string, periodAt: number, abbreviations: ReadonlySet<string>): boolean {
  let wordStart = periodAt;
  while (wordStart > 0 && WORD_CHAR.test(text[wordStart - 1]!)) wordStart--;
  const word = text.slice(wordStart, periodAt);
  if (word === '') return false;
  if (abbreviations.has(`${word.toLowerCase()}.`)) return true;
  if (INITIAL.test(word)) return true;
  return LIST_NUMBER.test(word) && startsItem(text, wordStart);
}

/**
 * A number starts a list item when it is the first thing of the text or of its line, or follows
 * the end of a sentence or a colon ("Two steps: 1. Open it. 2. Save it.").
 */
function startsItem(text: string, wordStart: number): boolean {
  let before = wordStart;
  while (before > 0 && isWhitespace(text[before - 1])) {
    if (text[before - 1] === '\n') return true;
    before--;
  }
  if (before === 0) return true;
  if (before === wordStart) return false;
  while (before > 0 && CLOSERS.has(text[before - 1]!)) before--;
  const previous = text[before - 1];
  return previous !== undefined && (SENTENCE_END.has(previous) || previous === ':');
}
