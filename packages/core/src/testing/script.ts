/**
 * Something the fake user says, placed on the session's audio timeline: the fake recognizer
 * "hears" it when audio frames covering `startMs … startMs + durationMs` have arrived.
 */
export interface ScriptedUtterance {
  readonly text: string;
  /** Position in the audio stream where speech starts, ms. */
  readonly startMs: number;
  /** Defaults to the word count × `msPerWord`. */
  readonly durationMs?: number;
}

export interface PlacedUtterance {
  readonly text: string;
  readonly words: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
}

/** Resolves durations and sorts utterances by start. */
export function placeUtterances(
  utterances: readonly ScriptedUtterance[],
  msPerWord: number,
): PlacedUtterance[] {
  return utterances
    .map((u) => {
      const words = u.text.trim().split(/\s+/).filter(Boolean);
      return {
        text: u.text.trim(),
        words,
        startMs: u.startMs,
        endMs: u.startMs + (u.durationMs ?? words.length * msPerWord),
      };
    })
    .sort((a, b) => a.startMs - b.startMs);
}
