import type { ChatMessage, ToolCall } from '../frames/chat';

/** One LLM round of a reply: the text it wrote, the tools it called, and their answers. */
export interface ReplyRound {
  text: string;
  readonly toolCalls: ToolCall[];
  /** Answers by tool call id, recorded once: a second answer for the same call is ignored. */
  readonly results: Map<string, { content: string; isError: boolean }>;
  /** Indexes of the sentences this round's text became. */
  readonly sentenceIndexes: number[];
}

/** Answer recorded for a tool call that never finished because the turn was cut short. */
export const CANCELLED_TOOL_RESULT = JSON.stringify({
  error: 'cancelled: the user interrupted before this finished',
});

/**
 * The messages one reply adds to the conversation, round by round. It builds the request
 * messages for each LLM round and, when the speech ends, the history entries — with only the
 * heard text when the reply was interrupted, and every tool call answered exactly once so the
 * next request is one any provider accepts.
 */
export class TurnLog {
  readonly rounds: ReplyRound[] = [];

  startRound(): ReplyRound {
    const round: ReplyRound = { text: '', toolCalls: [], results: new Map(), sentenceIndexes: [] };
    this.rounds.push(round);
    return round;
  }

  /** Messages for the next LLM request: the base conversation plus every finished round. */
  requestMessages(base: readonly ChatMessage[]): ChatMessage[] {
    return [...base, ...this.#messages((round) => round.text, false)];
  }

  /**
   * History entries for this reply. `textOf` gives the text to keep for each round (all of it,
   * or the heard part); `interrupted` marks the last assistant message.
   */
  historyEntries(textOf: (round: ReplyRound) => string, interrupted: boolean): ChatMessage[] {
    const messages = this.#messages(textOf, true);
    if (interrupted) {
      for (let i = messages.length - 1; i >= 0; i--) {
        const message = messages[i]!;
        if (message.role === 'assistant') {
          messages[i] = { ...message, interrupted: true };
          break;
        }
      }
    }
    return messages;
  }

  #messages(textOf: (round: ReplyRound) => string, answerEveryCall: boolean): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const round of this.rounds) {
      const content = textOf(round).trim();
      if (round.toolCalls.length === 0) {
        if (content !== '') messages.push({ role: 'assistant', content });
        continue;
      }
      const answered = round.toolCalls.filter((call) => answerEveryCall || round.results.has(call.id));
      if (answered.length === 0) continue;
      messages.push({ role: 'assistant', content, toolCalls: answered });
      for (const call of answered) {
        const result = round.results.get(call.id);
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: result?.content ?? CANCELLED_TOOL_RESULT,
        });
      }
    }
    return messages;
  }
}

/**
 * Problems that would make a provider reject this history: a tool call without exactly one
 * answer, an answer to no call. Empty when the history is consistent.
 */
export function findHistoryProblems(history: readonly ChatMessage[]): string[] {
  const problems: string[] = [];
  const open = new Map<string, number>();
  const closeOpenCalls = (at: number) => {
    for (const [id] of open) problems.push(`tool call ${id} has no answer before message ${at}`);
    open.clear();
  };
  history.forEach((message, at) => {
    if (message.role === 'tool') {
      if (!open.has(message.toolCallId))
        problems.push(`tool answer ${message.toolCallId} at ${at} answers no open call`);
      open.delete(message.toolCallId);
      return;
    }
    closeOpenCalls(at);
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) open.set(call.id, at);
  });
  closeOpenCalls(history.length);
  return problems;
}
