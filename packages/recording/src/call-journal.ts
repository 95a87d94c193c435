import type { TurnMetrics } from '@voxduplex/core';
import type {
  CallTranscript,
  RecordedControl,
  RecordedProviderChange,
  RecordedSpeech,
  RecordedTurn,
  RecordedUtterance,
  RecordedWord,
} from './call-transcript';

/**
 * One line of a call's journal (JSON Lines): something that happened, as it happened, `atMs`
 * from the recording's first sample. The recorder appends these through its sink while the call
 * goes on; {@link readCallJournal} folds them into a {@link CallTranscript}, also when the
 * journal stops short because the process died.
 */
export type CallJournalEntry =
  | {
      readonly type: 'recording';
      readonly version: 1;
      readonly sessionId: string;
      readonly startedAt: string;
      readonly sampleRate: number;
      readonly channels: readonly ['user', 'agent'];
    }
  | ({ readonly type: 'utterance'; readonly atMs: number } & RecordedUtterance)
  | { readonly type: 'user-turn'; readonly atMs: number; readonly turnId: string; readonly text: string }
  | {
      readonly type: 'speech-start';
      readonly atMs: number;
      readonly turnId: string;
      readonly speechId: string;
    }
  /** The speech's first sample played. */
  | {
      readonly type: 'speech-played';
      readonly atMs: number;
      readonly turnId: string;
      readonly speechId: string;
    }
  | {
      readonly type: 'control';
      readonly atMs: number;
      readonly turnId: string;
      readonly speechId: string;
      readonly control: RecordedControl['type'];
      readonly source?: string;
    }
  | {
      readonly type: 'speech-end';
      readonly atMs: number;
      readonly turnId: string;
      readonly speechId: string;
      readonly text: string;
      readonly heardText: string;
      readonly playedMs: number;
      readonly interrupted: boolean;
      /** When its last heard sample played; absent for a speech cut before any audio. */
      readonly endMs?: number;
      readonly words: readonly RecordedWord[];
    }
  | {
      readonly type: 'tool-call';
      readonly atMs: number;
      readonly turnId: string;
      readonly id: string;
      readonly name: string;
      readonly arguments: string;
    }
  | {
      readonly type: 'tool-result';
      readonly atMs: number;
      readonly turnId: string;
      readonly toolCallId: string;
      readonly result: string;
      readonly isError: boolean;
    }
  | { readonly type: 'metrics'; readonly atMs: number; readonly metrics: TurnMetrics }
  | {
      readonly type: 'error';
      readonly atMs: number;
      readonly code: string;
      readonly message: string;
      readonly turnId?: string;
    }
  | { readonly type: 'provider'; readonly change: RecordedProviderChange }
  | { readonly type: 'end'; readonly atMs: number; readonly durationMs: number; readonly endReason: string };

/**
 * A call's journal (the JSON Lines text of its {@link CallJournalEntry}s) as a
 * {@link CallTranscript} — what `<name>.json` holds once the call ended, and what a call cut by a
 * crash still tells: every entry written before it. A torn last line (the process died while
 * writing it) is left out; without an `end` entry `endReason` is absent and `durationMs` is the
 * last moment the journal knows of.
 *
 * @example
 * ```ts
 * const transcript = readCallJournal(readFileSync('recordings/call-1.jsonl', 'utf8'));
 * console.log(formatCallTimeline(transcript));
 * ```
 */
export function readCallJournal(text: string): CallTranscript {
  const fold = new TranscriptFold();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: CallJournalEntry;
    try {
      entry = JSON.parse(line) as CallJournalEntry;
    } catch {
      continue; // the line being written when the process stopped
    }
    fold.add(entry);
  }
  return fold.transcript;
}

/** Builds a transcript entry by entry, with the rules the recorder used to apply in place. */
class TranscriptFold {
  readonly transcript: CallTranscript & { providerChanges: RecordedProviderChange[] } = {
    version: 1,
    sessionId: '',
    startedAt: '',
    sampleRate: 16000,
    channels: ['user', 'agent'],
    durationMs: 0,
    turns: [],
    errors: [],
    providerChanges: [],
  };
  readonly #turns = new Map<string, RecordedTurn>();
  readonly #speeches = new Map<string, RecordedSpeech>();
  /** Finals heard since the last user turn: they belong to the next one. */
  #utterances: RecordedUtterance[] = [];

  add(entry: CallJournalEntry): void {
    const transcript = this.transcript;
    if ('atMs' in entry) transcript.durationMs = Math.max(transcript.durationMs, entry.atMs);
    switch (entry.type) {
      case 'recording': {
        const { type: _, ...header } = entry;
        Object.assign(transcript, header);
        return;
      }
      case 'utterance': {
        const { type: _, atMs: __, ...utterance } = entry;
        this.#utterances.push(utterance);
        return;
      }
      case 'user-turn': {
        const turn = this.#turn(entry.turnId, entry.atMs);
        turn.userText = entry.text;
        turn.utterances.push(...this.#utterances);
        this.#utterances = [];
        return;
      }
      case 'speech-start':
        this.#turn(entry.turnId, entry.atMs).speeches.push(this.#speech(entry.speechId));
        return;
      case 'speech-played':
        this.#speech(entry.speechId).startMs = entry.atMs;
        return;
      case 'control': {
        const { control: type, atMs, source } = entry;
        this.#speech(entry.speechId).controls.push({
          atMs,
          type,
          ...(source === undefined ? {} : { source }),
        });
        return;
      }
      case 'speech-end': {
        const { text, heardText, playedMs, interrupted, endMs, words } = entry;
        const speech = this.#speech(entry.speechId);
        Object.assign(speech, { text, heardText, playedMs, interrupted });
        if (endMs !== undefined) speech.endMs = endMs;
        speech.words.push(...words);
        return;
      }
      case 'tool-call': {
        const { id, name, arguments: args } = entry;
        this.#turn(entry.turnId, entry.atMs).toolCalls.push({
          id,
          name,
          arguments: args,
          startMs: entry.atMs,
        });
        return;
      }
      case 'tool-result': {
        const call = this.#turns.get(entry.turnId)?.toolCalls.find((c) => c.id === entry.toolCallId);
        if (call) Object.assign(call, { endMs: entry.atMs, result: entry.result, isError: entry.isError });
        return;
      }
      case 'metrics': {
        const turn = this.#turns.get(entry.metrics.turnId);
        if (turn) turn.metrics = entry.metrics;
        return;
      }
      case 'error': {
        const { type: _, ...error } = entry;
        transcript.errors.push(error);
        return;
      }
      case 'provider':
        transcript.providerChanges.push(entry.change);
        transcript.durationMs = Math.max(transcript.durationMs, entry.change.atMs);
        return;
      case 'end':
        transcript.durationMs = entry.durationMs;
        transcript.endReason = entry.endReason;
        return;
      default:
        return; // an entry of a later version: what this version knows still reads
    }
  }

  #turn(turnId: string, atMs: number): RecordedTurn {
    let turn = this.#turns.get(turnId);
    if (!turn) {
      turn = { turnId, atMs, utterances: [], speeches: [], toolCalls: [] };
      this.#turns.set(turnId, turn);
      this.transcript.turns.push(turn);
    }
    return turn;
  }

  /** A speech by id; one whose start was not journaled is still kept (detached from any turn). */
  #speech(speechId: string): RecordedSpeech {
    let speech = this.#speeches.get(speechId);
    if (!speech) {
      speech = { speechId, controls: [], words: [] };
      this.#speeches.set(speechId, speech);
    }
    return speech;
  }
}
