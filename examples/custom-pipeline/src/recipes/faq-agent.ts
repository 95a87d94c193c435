import { defaultStages, type ReplySource, type ReplyTurn } from '@voxduplex/core';
import type { SchedulerLike } from 'rxjs';

/** One question the FAQ agent knows. */
export interface FaqEntry {
  /** Matched against the user's words, lower-cased (recognizers slip: match loosely). */
  readonly pattern: RegExp;
  /** A session tool (no arguments) to call before answering; its result goes to `answer`. */
  readonly tool?: string;
  /** The answer, fixed or made from the user's words and the tool's result. */
  readonly answer: string | ((asked: { userText: string; toolResult?: string }) => string);
}

/** How one answer went, told when the agent stops streaming it. */
export interface FaqAnswerReport {
  readonly turnId: string;
  readonly userText: string;
  readonly wordsSent: number;
  readonly wordsInAnswer: number;
  /** The user interrupted (or the session closed) before the whole answer was streamed. */
  readonly wasStopped: boolean;
}

/** Options of {@link faqAgent}. */
export interface FaqAgentOptions {
  /** Pause before each word, ms of the session's scheduler; default 40 (a fast model's pace). */
  readonly wordGapMs?: number;
  /** Called once per answer, however it ended (from the generator's `finally`). */
  readonly onAnswerEnd?: (report: FaqAnswerReport) => void;
}

/**
 * Recipe 2, a `reply` stage: your own agent in place of the LLM call — here a tiny rule-based FAQ
 * bot, written as an `async function*` that streams its answer word by word. It honours
 * `turn.signal` (every wait ends when the user interrupts), may call a session tool through
 * `turn.callTool` (the call and its result are stored in the history), and hands questions it
 * does not know to the session's LLM with `defaultStages.reply(turn)`.
 *
 * @example
 * ```ts
 * createVoiceSession({ stt, llm, tts, tools: [freeTables], pipeline: {
 *   reply: faqAgent([{ pattern: /\bhours?\b/, answer: 'We are open from eight to six.' }]),
 * } });
 * ```
 */
export function faqAgent(
  entries: readonly FaqEntry[],
  options: FaqAgentOptions = {},
): (turn: ReplyTurn) => ReplySource {
  const wordGapMs = options.wordGapMs ?? 40;
  return (turn) => {
    const asked = turn.userText.toLowerCase();
    const entry = entries.find((candidate) => candidate.pattern.test(asked));
    return entry ? answer(turn, entry) : defaultStages.reply(turn);
  };

  async function* answer(turn: ReplyTurn, entry: FaqEntry): AsyncGenerator<string> {
    let toolResult: string | undefined;
    if (entry.tool) {
      yield 'Let me check. ';
      const call = { id: `${turn.speechId}-${entry.tool}`, name: entry.tool, arguments: '{}' };
      toolResult = (await turn.callTool(call)).content;
    }
    const text =
      typeof entry.answer === 'string'
        ? entry.answer
        : entry.answer({ userText: turn.userText, ...(toolResult === undefined ? {} : { toolResult }) });
    const words = text.split(/\s+/).filter(Boolean);
    let wordsSent = 0;
    try {
      for (const word of words) {
        await pause(wordGapMs, turn.scheduler, turn.signal);
        yield wordsSent === 0 ? word : ` ${word}`;
        wordsSent++;
      }
    } finally {
      // Runs on an interrupt too: the session cancels the generator and aborts `turn.signal`.
      options.onAnswerEnd?.({
        turnId: turn.turnId,
        userText: turn.userText,
        wordsSent,
        wordsInAnswer: words.length,
        wasStopped: wordsSent < words.length,
      });
    }
  }
}

/** Waits `ms` on the session's scheduler (so tests run in virtual time); rejects when `signal` aborts. */
function pause(ms: number, scheduler: SchedulerLike, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.unsubscribe();
      reject(signal.reason);
    };
    const timer = scheduler.schedule(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
