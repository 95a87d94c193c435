// Emoji and pictographs, with the invisible parts of their sequences: variation selectors,
// zero-width joiner, skin tones, keycap enclosure, flag letters and subdivision-flag tags.
// Keycap digits keep their digit ("1️⃣" → "1").
const EMOJI =
  /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u{FE0E}|\u{FE0F}|\u{200D}|\u{20E3}|[\u{E0020}-\u{E007F}]/gu;
// The info string ("```ts") is dropped with the fence; the code inside stays.
const FENCE = /(?:`{3,}|~{3,})[^\s`]*/g;
// The closing parenthesis may still be on its way (the chunk ends inside the URL): drop what came.
const LINK = /!?\[([^\]\n]*)\]\([^)\s]*\)?/g;
// The "[text" half went out with the previous chunk.
const ORPHAN_LINK_TARGET = /\]\([^)\s]*\)?/g;
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^>\s]*)>/g;
const BLOCKQUOTE = /^[ \t]*(?:>[ \t]*)+/gm;
const HEADING = /^[ \t]*#{1,6}(?=[ \t]|$)/gm;
const BULLET = /^[ \t]*[-*+•](?=[ \t])/gm;
// Horizontal rules and table separator rows ("---", "|:---|---:|").
const RULE_LINE = /^[ \t|:]*-[ \t|:-]*$/gm;
const DASH_RUN = /-{3,}/g;
const STRONG_OR_STRIKE = /\*{2,}|_{2,}|~{2,}/g;
// "2*3" is arithmetic, every other asterisk is emphasis.
const EMPHASIS_STAR = /(?<!\d)\*|\*(?!\d)/g;
// snake_case keeps its underscore, "_word_" loses them.
const EMPHASIS_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
const LEFTOVER_MARKUP = /[`[\]|]/g;
const SPACE_BEFORE_PUNCTUATION = /\s+(?=[.,;:!?…])/g;
const WHITESPACE = /\s+/g;
// What is left of a sentence whose words were all markup or emoji ("🎉. Hello" → ". Hello").
const LEADING_PUNCTUATION = /^[.,;:!?…]+ /;
const SPEAKABLE = /[\p{L}\p{N}]/u;

/**
 * Turns text written for a screen into text for a speech synthesizer: markdown markup, emoji and
 * pictographs are removed and whitespace is collapsed to single spaces (trimmed at both ends).
 *
 * Link and image text is kept (`[docs](https://x.dev)` → `docs`), so is the text of emphasis,
 * headings, inline code and code blocks; bare URLs and e-mail addresses are kept as written.
 * Markup cut in half by a chunk boundary (`**` without its partner, `](url)` without its `[`)
 * is removed too.
 *
 * @example
 * cleanForSpeech('## Done! 🎉 See **the [guide](https://x.dev/guide)**.'); // 'Done! See the guide.'
 */
export function cleanForSpeech(text: string): string {
  let spoken = cleanOnce(text);
  // Removing markup can expose more ("*> quote" is a blockquote behind an asterisk). Every pass
  // that changes something removes visible characters, so this ends.
  for (let again = cleanOnce(spoken); again !== spoken; again = cleanOnce(spoken)) spoken = again;
  return spoken;
}

function cleanOnce(text: string): string {
  return text
    .replace(EMOJI, ' ')
    .replace(FENCE, ' ')
    .replace(LINK, '$1')
    .replace(ORPHAN_LINK_TARGET, '')
    .replace(AUTOLINK, '$1')
    .replace(LEFTOVER_MARKUP, ' ')
    .replace(BLOCKQUOTE, '')
    .replace(HEADING, '')
    .replace(BULLET, '')
    .replace(RULE_LINE, '')
    .replace(DASH_RUN, ' ')
    .replace(STRONG_OR_STRIKE, '')
    .replace(EMPHASIS_STAR, '')
    .replace(EMPHASIS_UNDERSCORE, '')
    .replace(WHITESPACE, ' ')
    .replace(SPACE_BEFORE_PUNCTUATION, '')
    .trim()
    .replace(LEADING_PUNCTUATION, '');
}

/** True when cleaned text has something a synthesizer would say: at least one letter or digit. */
export function isSpeakable(cleanedText: string): boolean {
  return SPEAKABLE.test(cleanedText);
}
