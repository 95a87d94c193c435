/** One thing the scripted user says: its parts, with a silence of `pauseMs` between them. */
export interface UserLine {
  readonly parts: readonly string[];
  readonly pauseMs?: number;
  /** Which recipe the line shows off (printed before it). */
  readonly shows: string;
}

/**
 * The conversation `npm start` plays, one line per recipe. The words are ones PocketSphinx gets
 * right when Flite says them ("tea and" comes out as "to end", "free table" as "free cable").
 */
export const USER_SCRIPT: readonly UserLine[] = [
  { parts: ['what are your opening hours'], shows: 'your own agent (FAQ) + the sentence transform' },
  {
    parts: ['i would like a coffee and', 'a slice of cake'],
    pauseMs: 1000,
    shows: 'the end-of-turn rule: a pause after "and" does not end the turn',
  },
  { parts: ['is there a table for two'], shows: 'your own agent calling a session tool' },
  { parts: ['what time is it'], shows: 'a question the FAQ does not know goes to the LLM (demo brain)' },
];

/** The line as one sentence, for printing. */
export function spokenLine(line: UserLine): string {
  return line.parts.join(line.pauseMs ? ` … (${line.pauseMs / 1000} s pause) … ` : ' ');
}
