import { Observable, type Subscription } from 'rxjs';
import { toVoxError } from '../../errors/to-vox-error';
import type { ToolCall } from '../../frames/chat';
import type { ReplyPiece, ReplyTurn } from './reply-turn';

/**
 * The default `reply` stage: the session's LLM, in rounds. Each round streams the model's text;
 * when a round ends with tool calls, they run in parallel through {@link ReplyTurn.callTool}
 * (a filler is spoken if they take longer than `toolFiller.afterMs`), and the next round asks
 * the model again with their answers, in the same speech. Past `maxToolRounds` the model gets
 * no tools, and calls it makes anyway are declined. Unsubscribing aborts the LLM request and,
 * through `turn.signal`, every running tool.
 *
 * Wrap it rather than rewrite it, e.g. to give the model retrieved context:
 *
 * @example
 * ```ts
 * reply: (turn) => {
 *   const facts: ChatMessage = { role: 'system', content: lookUp(turn.userText) };
 *   return defaultReply({ ...turn, messages: [...turn.messages.slice(0, -1), facts, turn.messages.at(-1)!] });
 * }
 * ```
 */
export function defaultReply(turn: ReplyTurn): Observable<ReplyPiece> {
  const { settings } = turn;

  const round = (number: number): Observable<ReplyPiece> =>
    new Observable<ReplyPiece>((subscriber) => {
      const calls: ToolCall[] = [];
      let continuation: Subscription | undefined;
      let filler: Subscription | undefined;
      const toolsAllowed = number < settings.maxToolRounds && turn.toolDefinitions.length > 0;

      const runTools = () => {
        if (settings.toolFiller.afterMs > 0) {
          const { text } = settings.toolFiller;
          filler = turn.scheduler.schedule(
            () => subscriber.next({ text, displayText: text, isFiller: true }),
            settings.toolFiller.afterMs,
          );
        }
        Promise.all(calls.map((call) => turn.callTool(call))).then(
          () => {
            filler?.unsubscribe();
            if (subscriber.closed || turn.signal.aborted) return;
            continuation = round(number + 1).subscribe(subscriber);
          },
          (error: unknown) => {
            filler?.unsubscribe();
            if (!turn.signal.aborted) subscriber.error(error);
          },
        );
      };

      const events = turn
        .generate({
          messages: [...turn.messages, ...turn.roundMessages()],
          ...(toolsAllowed ? { tools: turn.toolDefinitions } : {}),
          ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
        })
        .subscribe({
          next: (event) => {
            if (event.type === 'token') {
              if (event.text !== '') subscriber.next(event.text);
            } else if (event.type === 'tool-call') calls.push(event.call);
          },
          // Named after the LLM here: past this point a foreign error would be blamed on a stage.
          error: (error: unknown) => subscriber.error(toVoxError(error, `llm:${turn.llm.name}`)),
          complete: () => {
            if (calls.length === 0) subscriber.complete();
            else if (number >= settings.maxToolRounds) {
              // The model kept calling tools past the limit: answer them so the history stays valid.
              for (const call of calls) turn.declineToolCall(call, 'tool round limit reached');
              subscriber.complete();
            } else runTools();
          },
        });

      return () => {
        events.unsubscribe();
        filler?.unsubscribe();
        continuation?.unsubscribe();
      };
    });

  return round(0);
}
