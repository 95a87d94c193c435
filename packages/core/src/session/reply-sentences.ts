import { defer, Observable, type SchedulerLike, type Subscription, tap } from 'rxjs';
import { toVoxError } from '../errors/to-vox-error';
import type { Sentence } from '../frames/agent';
import type { ChatMessage, ToolCall } from '../frames/chat';
import type { SpeechRef } from '../frames/identity';
import { chunkSentences } from '../operators/chunk-sentences';
import { toTokens } from '../operators/to-tokens';
import type { LlmProvider, LlmToolDefinition } from '../providers/llm';
import { runToolCall, type ToolOutcome } from './tool-runner';
import type { Tool } from './tools';
import type { TurnLog } from './turn-log';

export interface ReplyHooks {
  onLlmRequest(): void;
  onFirstToken(): void;
  onToolCall(call: ToolCall): void;
  onToolResult(outcome: ToolOutcome): void;
}

export interface ReplyContext {
  readonly llm: LlmProvider;
  /** System prompt, history and the user's message. */
  readonly baseMessages: readonly ChatMessage[];
  readonly tools: readonly Tool[];
  readonly toolDefinitions: readonly LlmToolDefinition[];
  readonly temperature?: number | undefined;
  readonly ref: SpeechRef;
  readonly chunker: { readonly firstChunkMinChars: number; readonly minChars: number };
  readonly log: TurnLog;
  /** Tool rounds allowed in one reply before the model must answer in words. */
  readonly maxToolRounds: number;
  /** Spoken when tools run longer than `afterMs` (0 = never). */
  readonly filler: { readonly afterMs: number; readonly text: string };
  readonly scheduler: SchedulerLike;
  readonly hooks: ReplyHooks;
}

/**
 * The sentences of one reply. Each LLM round streams through the sentence chunker; when a round
 * ends with tool calls, the tools run in parallel (with an abort signal tied to this
 * subscription), their answers are logged once, and the next round continues the same speech.
 * Unsubscribing aborts the LLM request and every running tool.
 */
export function replySentences(context: ReplyContext): Observable<Sentence> {
  let nextIndex = 0;
  const { log, hooks } = context;

  const round = (number: number): Observable<Sentence> =>
    new Observable<Sentence>((subscriber) => {
      const current = log.startRound();
      const abort = new AbortController();
      let continuation: Subscription | undefined;
      let filler: Subscription | undefined;

      const events$ = defer(() => {
        hooks.onLlmRequest();
        const toolsAllowed = number < context.maxToolRounds && context.toolDefinitions.length > 0;
        return context.llm.generate({
          messages: log.requestMessages(context.baseMessages),
          ...(toolsAllowed ? { tools: context.toolDefinitions } : {}),
          ...(context.temperature === undefined ? {} : { temperature: context.temperature }),
        });
      }).pipe(
        tap((event) => {
          if (event.type === 'token' && event.text !== '') {
            hooks.onFirstToken();
            current.text += event.text;
          } else if (event.type === 'tool-call') {
            current.toolCalls.push(event.call);
            hooks.onToolCall(event.call);
          }
        }),
      );

      const runTools = () => {
        if (context.filler.afterMs > 0) {
          filler = context.scheduler.schedule(() => {
            const index = nextIndex++;
            const { text } = context.filler;
            subscriber.next({ ...context.ref, text, displayText: text, index });
          }, context.filler.afterMs);
        }
        const runs = current.toolCalls.map((call) =>
          runToolCall(call, context.tools, { signal: abort.signal, turnId: context.ref.turnId }).then(
            (outcome) => {
              if (abort.signal.aborted || current.results.has(call.id)) return;
              current.results.set(call.id, { content: outcome.content, isError: outcome.isError });
              hooks.onToolResult(outcome);
            },
          ),
        );
        Promise.all(runs).then(
          () => {
            filler?.unsubscribe();
            if (subscriber.closed || abort.signal.aborted) return;
            continuation = round(number + 1).subscribe(subscriber);
          },
          (error: unknown) => {
            filler?.unsubscribe();
            if (!abort.signal.aborted) subscriber.error(error);
          },
        );
      };

      const sentences = events$.pipe(toTokens(context.ref), chunkSentences(context.chunker)).subscribe({
        next: (sentence) => {
          const index = nextIndex++;
          current.sentenceIndexes.push(index);
          subscriber.next({ ...sentence, index });
        },
        // Named after the LLM here: past this point a foreign error would be blamed on TTS.
        error: (error: unknown) => subscriber.error(toVoxError(error, `llm:${context.llm.name}`)),
        complete: () => {
          if (current.toolCalls.length === 0) subscriber.complete();
          else if (number >= context.maxToolRounds) {
            // The model kept calling tools past the limit: answer them so the history stays valid.
            for (const call of current.toolCalls) {
              current.results.set(call.id, {
                content: JSON.stringify({ error: 'tool round limit reached' }),
                isError: true,
              });
            }
            subscriber.complete();
          } else runTools();
        },
      });

      return () => {
        abort.abort(new Error('reply cancelled'));
        sentences.unsubscribe();
        filler?.unsubscribe();
        continuation?.unsubscribe();
      };
    });

  return round(0);
}
