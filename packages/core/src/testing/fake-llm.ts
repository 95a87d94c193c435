import { asyncScheduler, Observable, type SchedulerLike, Subscription } from 'rxjs';
import type { VoxError } from '../errors/vox-error';
import type { LlmEvent, LlmProvider, LlmRequest } from '../providers/llm';
import { ResourceCounter } from './resource-counter';

/** One step of a scripted LLM answer. */
export type LlmScriptStep =
  | { readonly text: string }
  | { readonly toolCall: { readonly name: string; readonly arguments: unknown; readonly id?: string } }
  | { readonly error: VoxError }
  | { readonly stallMs: number };

export type LlmReply = string | readonly LlmScriptStep[];

export interface FakeLlmOptions {
  /** The provider's `name` (in errors and fallback chains). Default `'fake'`. */
  readonly name?: string;
  /** The answer: fixed, or computed from the request (`call` counts requests from 0). */
  readonly reply?: LlmReply | ((request: LlmRequest, call: number) => LlmReply);
  /** Delay before the first token, scheduler time. */
  readonly ttftMs?: number;
  /** Token pace after the first; `Infinity` emits them all at once. */
  readonly tokensPerSecond?: number;
  readonly scheduler?: SchedulerLike;
}

/** Splits text the way chat models stream it: words with their leading space. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

type TimedEvent = { delayMs: number; event: LlmEvent | { type: 'error'; error: VoxError } };

/**
 * A scriptable streaming LLM: replies word by word at a set time-to-first-token and rate, may
 * call tools or fail mid-stream. Records every request (`requests`) and counts open streams;
 * unsubscribing cancels the pending timers, as a real adapter aborts its HTTP request.
 */
export class FakeLlm implements LlmProvider {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly streams = new ResourceCounter();
  readonly requests: LlmRequest[] = [];
  readonly #options: FakeLlmOptions;

  constructor(options: FakeLlmOptions = {}) {
    this.name = options.name ?? 'fake';
    this.#options = options;
  }

  generate(request: LlmRequest): Observable<LlmEvent> {
    return new Observable<LlmEvent>((subscriber) => {
      const call = this.requests.length;
      this.requests.push(request);
      const done = this.streams.track();
      let hasEnded = false;
      const timers = new Subscription();
      const scheduler = this.#options.scheduler ?? asyncScheduler;
      const events = this.#plan(request, call);
      let index = 0;
      let hasWaited = false;
      const run = () => {
        while (index < events.length) {
          const { delayMs, event } = events[index]!;
          if (delayMs > 0 && !hasWaited) {
            hasWaited = true;
            timers.add(scheduler.schedule(run, delayMs));
            return;
          }
          hasWaited = false;
          index++;
          if (event.type === 'error') {
            hasEnded = true;
            subscriber.error(event.error);
            return;
          }
          subscriber.next(event);
          if (event.type === 'done') {
            hasEnded = true;
            subscriber.complete();
          }
        }
      };
      run();
      return () => {
        done(hasEnded ? 'completed' : 'cancelled');
        timers.unsubscribe();
      };
    });
  }

  #plan(request: LlmRequest, call: number): TimedEvent[] {
    const reply =
      typeof this.#options.reply === 'function' ? this.#options.reply(request, call) : this.#options.reply;
    const steps: readonly LlmScriptStep[] =
      typeof reply === 'string' ? [{ text: reply }] : (reply ?? [{ text: 'Okay.' }]);
    const ttftMs = this.#options.ttftMs ?? 0;
    const rate = this.#options.tokensPerSecond ?? Number.POSITIVE_INFINITY;
    const gapMs = Number.isFinite(rate) && rate > 0 ? 1000 / rate : 0;
    const events: TimedEvent[] = [];
    let isFirst = true;
    let stallMs = 0;
    let hasToolCalls = false;
    const nextDelay = () => {
      const delay = (isFirst ? ttftMs : gapMs) + stallMs;
      isFirst = false;
      stallMs = 0;
      return delay;
    };
    for (const step of steps) {
      if ('stallMs' in step) stallMs += step.stallMs;
      else if ('error' in step)
        events.push({ delayMs: nextDelay(), event: { type: 'error', error: step.error } });
      else if ('toolCall' in step) {
        hasToolCalls = true;
        const { name, arguments: args, id } = step.toolCall;
        const call = {
          id: id ?? `call_${events.length}`,
          name,
          arguments: typeof args === 'string' ? args : JSON.stringify(args),
        };
        events.push({ delayMs: nextDelay(), event: { type: 'tool-call', call } });
      } else
        for (const text of tokenize(step.text))
          events.push({ delayMs: nextDelay(), event: { type: 'token', text } });
    }
    events.push({
      delayMs: stallMs,
      event: { type: 'done', finishReason: hasToolCalls ? 'tool-calls' : 'stop' },
    });
    return events;
  }
}
